import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getAuth } from "@/server/auth";
import { useTestDatabase } from "@/test/database";
import { chats, organization, session, user } from "@/db/schema";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from "./demo-data";

const database = useTestDatabase();

describe("demo data", () => {
  it("creates the demo accounts with one password hash, each able to sign in", async () => {
    const context = await getAuth().$context;
    const hashing = vi.spyOn(context.password, "hash");
    const created = await seedDemoData(database.handle.db, getAuth());
    expect(created).toEqual(DEMO_USERS.map((demo) => demo.email));
    expect(hashing).toHaveBeenCalledTimes(1);
    hashing.mockRestore();

    for (const demo of DEMO_USERS) {
      const [row] = await database.handle.db.select().from(user).where(eq(user.email, demo.email));
      expect(row).toMatchObject({ name: demo.name, role: demo.role, emailVerified: true });
      const signIn = await getAuth().api.signInEmail({
        body: { email: demo.email, password: DEMO_PASSWORD },
        asResponse: true,
      });
      expect(signIn.status, demo.email).toBe(200);
    }
    const wrong = await getAuth().api.signInEmail({
      body: { email: DEMO_USERS[0].email, password: "not-the-demo-password" },
      asResponse: true,
    });
    expect(wrong.status).toBe(401);
    // Everyone starts in Acme; Alice and Carol also have Side studio, with a chat of its own.
    const [acme] = await database.handle.db
      .select({ id: organization.id })
      .from(organization)
      .where(eq(organization.slug, "acme"));
    const sessions = await database.handle.db.select().from(session);
    expect(sessions.map((s) => s.activeOrganizationId)).toEqual(DEMO_USERS.map(() => acme!.id));
    const workspaces = await database.handle.db
      .select({ name: organization.name, chats: sql<number>`count(c.id)::int` })
      .from(organization)
      .leftJoin(sql`public.chats c`, sql`c."organizationId" = ${organization.id}`)
      .groupBy(organization.id, organization.name)
      .orderBy(organization.name);
    expect(workspaces).toEqual([
      { name: "Acme", chats: 3 },
      { name: "Side studio", chats: 1 },
    ]);
    // Only the four sign-ins above opened sessions: seeding itself signs nobody in.
    expect(await database.handle.db.$count(session)).toBe(DEMO_USERS.length);
    expect(await database.handle.db.$count(chats)).toBeGreaterThan(0);
  });

  it("creates nothing the second time", async () => {
    const users = await database.handle.db.$count(user);
    const conversations = await database.handle.db.$count(chats);
    expect(await seedDemoData(database.handle.db, getAuth())).toEqual([]);
    expect(await database.handle.db.$count(user)).toBe(users);
    expect(await database.handle.db.$count(chats)).toBe(conversations);
  });
});
