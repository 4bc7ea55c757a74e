import fc from "fast-check";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/server/env";
import { appRouter } from "@/server/trpc/root";
import { useTestDatabase } from "@/test/database";
import { startHttpTestServer, type HttpTestServer } from "@/test/http-server";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { arbitraryFor, type JsonSchema } from "./json-schema-arbitrary";
import { checkProperty, expectNoServerFault } from "./fuzz-settings";

useTestDatabase();

/**
 * Every tRPC procedure of the app router, found by walking it — a procedure added tomorrow is
 * fuzzed without anyone listing it — called over HTTP as a signed-in browser page would, with
 * inputs drawn from its own input schema. No call may answer 5xx or show a stack.
 */
interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  inputs: z.ZodType[];
}

const procedures = Object.entries(
  (appRouter._def as unknown as { procedures: Record<string, { _def: ProcedureDef }> }).procedures,
).map(([path, procedure]) => ({ path, ...procedure._def }));

function inputSchema(inputs: z.ZodType[]): JsonSchema {
  if (inputs.length === 0) return {};
  const merged = inputs.length === 1 ? inputs[0]! : z.intersection(inputs[0]!, inputs[1]!);
  return z.toJSONSchema(merged, { unrepresentable: "any", io: "input" }) as JsonSchema;
}

let server: HttpTestServer;
let base: string;
let partner: TestUser;

beforeAll(async () => {
  partner = await signUp("Partner");
  server = await startHttpTestServer();
  base = `${server.url}/api/trpc`;
});
afterAll(() => server.close());

/** A caller of its own (its rate limits, its sessions to revoke), with rows to aim at. */
async function subject(admin: boolean) {
  const who = await signUp(admin ? "Fuzzadmin" : "Fuzzer", { role: admin ? "admin" : "user" });
  const caller = await callerFor(who);
  const chat = await caller.chats.createGroup({ name: "Fuzzed", memberIds: [partner.id] });
  const message = await caller.messages.send({ chatId: chat.id, content: "a message" });
  const key = await caller.apiKeys.create({ name: "fuzzed", scopes: ["profile:read"] });
  return { who, ids: [who.id, partner.id, chat.id, message.id, key.apiKey.id] };
}

async function call(path: string, type: ProcedureDef["type"], who: TestUser, input: unknown) {
  const payload = JSON.stringify({ json: input });
  const headers = { ...Object.fromEntries(who.headers), origin: env.appUrl };
  return type === "query"
    ? fetch(`${base}/${path}?input=${encodeURIComponent(payload)}`, { headers })
    : fetch(`${base}/${path}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: payload,
      });
}

describe("every tRPC procedure, fuzzed over HTTP", () => {
  it("finds the procedures", () => {
    expect(procedures.length).toBeGreaterThan(40);
    expect(procedures.map((p) => p.path)).toContain("messages.send");
  });

  it.each(procedures.filter((p) => p.type !== "subscription").map((p) => [p.path, p] as const))(
    "%s answers bad input with 4xx, never 5xx",
    async (path, procedure) => {
      const { who, ids } = await subject(path.startsWith("admin."));
      const arbitrary = arbitraryFor(inputSchema(procedure.inputs), { ids });
      await checkProperty(
        path,
        fc.asyncProperty(arbitrary, async (input) => {
          const response = await call(path, procedure.type, who, input);
          await expectNoServerFault(response, path);
        }),
      );
    },
    120_000,
  );
});
