import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { member, organization, user } from "@/db/schema";
import { useTestDatabase } from "@/test/database";
import { until } from "@/test/realtime";
import { startSupabaseRealtime } from "./server";

/** A stand-in for hosted Realtime's broadcast endpoint, recording the messages it is sent. */
const messages: { topic: string; event: string; payload: unknown; private: boolean }[] = [];
const endpoint = createServer((req, res) => {
  let text = "";
  req.on("data", (chunk: Buffer) => (text += chunk.toString()));
  req.on("end", () => {
    messages.push(...(JSON.parse(text) as { messages: typeof messages }).messages);
    res.writeHead(202).end();
  });
});
let url = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => endpoint.close(() => resolve())));

describe("realtime in Supabase mode", () => {
  const database = useTestDatabase();

  it("tells a departed member's own topic on hosted Realtime that they left the workspace", async () => {
    const db = database.handle.db;
    const [hana] = await db
      .insert(user)
      .values({ name: "Hana", email: "hana@supabase-mode.example.test" })
      .returning({ id: user.id });
    const [team] = await db
      .insert(organization)
      .values({ name: "Team", slug: "supabase-mode-team" })
      .returning({ id: organization.id });
    await db.insert(member).values({ organizationId: team!.id, userId: hana!.id, role: "member" });

    const realtime = await startSupabaseRealtime({
      database: database.handle,
      url,
      serviceRoleKey: "service-key",
    });
    try {
      await db.delete(member).where(eq(member.organizationId, team!.id));
      await until(() => messages.length > 0, "the broadcast");
      expect(messages).toEqual([
        {
          topic: `user:${hana!.id}`,
          event: "workspace.left",
          payload: { organizationId: team!.id },
          private: true,
        },
      ]);
    } finally {
      await realtime.close();
    }
    // Closed: a later departure goes nowhere.
    await db.insert(member).values({ organizationId: team!.id, userId: hana!.id, role: "member" });
    await db.delete(member).where(eq(member.organizationId, team!.id));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(messages).toHaveLength(1);
  });
});
