import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { env } from "@/server/env";
import { appRouter } from "@/server/trpc/root";
import { chargeCall, type Budget, type CallCharge } from "./budgets";

/** Charges `times` calls; answers the refusal of the last one, if any. */
async function charge(call: CallCharge, times: number) {
  let refused = null;
  for (let i = 0; i < times; i++) refused = await chargeCall(call);
  return refused;
}

describe("call limits", () => {
  it("refuse a user's call past RATE_LIMIT_CALLS, counting that user alone", async () => {
    const user = randomUUID();
    const call = { userId: user, address: null, mutation: false };
    expect(await charge(call, env.RATE_LIMIT_CALLS)).toBeNull();
    const refused = await chargeCall(call);
    expect(refused?.message).toMatch(/Too many requests/);
    expect(refused?.retryAfterSeconds).toBeGreaterThan(0);
    expect(await chargeCall({ ...call, userId: randomUUID() })).toBeNull();
  });

  it("refuse an address's calls past RATE_LIMIT_CALLS_PER_ADDRESS, whoever signed in", async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    for (let i = 0; i < env.RATE_LIMIT_CALLS_PER_ADDRESS; i++) {
      expect(await chargeCall({ userId: null, address, mutation: false })).toBeNull();
    }
    expect(await chargeCall({ userId: randomUUID(), address, mutation: false })).not.toBeNull();
  });

  it("refuse a user's mutations past RATE_LIMIT_MUTATIONS while queries go on", async () => {
    const user = randomUUID();
    const mutation = { userId: user, address: null, mutation: true };
    expect(await charge(mutation, env.RATE_LIMIT_MUTATIONS)).toBeNull();
    expect((await chargeCall(mutation))?.message).toMatch(/Too many changes/);
    expect(await chargeCall({ ...mutation, mutation: false })).toBeNull();
  });

  it.each([
    ["messages", env.RATE_LIMIT_MESSAGES, /Too many messages/],
    ["reactions", env.RATE_LIMIT_REACTIONS, /Too many reactions/],
    ["apiKeys", env.RATE_LIMIT_API_KEYS, /Too many new API keys/],
  ] as const)(
    "refuse the %s budget past its limit, leaving other budgets",
    async (budget, limit, message) => {
      const user = randomUUID();
      const call = { userId: user, address: null, mutation: true, budget };
      expect(await charge(call, limit)).toBeNull();
      expect((await chargeCall(call))?.message).toMatch(message);
      const other: Budget = budget === "messages" ? "reactions" : "messages";
      expect(await chargeCall({ ...call, budget: other })).toBeNull();
    },
  );
});

describe("procedure budgets", () => {
  it("are declared by the procedures that spend them", () => {
    const procedures = (
      appRouter._def as unknown as {
        procedures: Record<string, { _def: { meta?: { budget?: Budget } } }>;
      }
    ).procedures;
    const budgets = Object.fromEntries(
      Object.entries(procedures)
        .filter(([, p]) => p._def.meta?.budget)
        .map(([path, p]) => [path, p._def.meta!.budget]),
    );
    expect(budgets).toEqual({
      "messages.send": "messages",
      "messages.forward": "messages",
      "messages.edit": "messages",
      "messages.delete": "messages",
      "messages.react": "reactions",
      "messages.unreact": "reactions",
      "pins.add": "messages",
      "pins.remove": "messages",
      "saved.add": "reactions",
      "saved.remove": "reactions",
      "threads.follow": "reactions",
      "apiKeys.create": "apiKeys",
      "apiKeys.rotate": "apiKeys",
    });
  });
});
