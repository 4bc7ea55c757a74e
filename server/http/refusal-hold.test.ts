import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { env } from "@/server/env";
import { refusalHold } from "@/server/limits/refusal-hold";
import { useTestDatabase } from "@/test/database";
import { startHttpTestServer, type HttpTestServer } from "@/test/http-server";
import { callerFor, signUp, type TestUser } from "@/test/users";

useTestDatabase();

/** The address the HTTP layer pins for a request from this process. */
const HERE = "127.0.0.1";

/**
 * A 429 waits `RATE_LIMIT_REFUSAL_DELAY_MS` before it is sent, whichever layer refused it: a
 * route (here REST v1) or tRPC before any call runs. This file has an address's call window
 * to itself, since the second test spends it.
 */
describe("refusals held before they are sent", () => {
  let server: HttpTestServer;
  let alice: TestUser;
  const delay = env.RATE_LIMIT_REFUSAL_DELAY_MS;

  beforeAll(async () => {
    alice = await signUp("Alice");
    server = await startHttpTestServer();
    // Long enough to see each refusal held, whatever else the machine is doing.
    env.RATE_LIMIT_REFUSAL_DELAY_MS = 3000;
  });
  afterAll(async () => {
    env.RATE_LIMIT_REFUSAL_DELAY_MS = delay;
    await server.close();
  });

  /** Sends a request and sees its answer held before it arrives. */
  async function heldThenAnswered(request: () => Promise<Response>): Promise<Response> {
    let answered = false;
    const response = request().finally(() => (answered = true));
    await vi.waitFor(() => expect(refusalHold.count(HERE)).toBe(1), { timeout: 2500, interval: 5 });
    expect(answered).toBe(false);
    const answer = await response;
    expect(refusalHold.count(HERE)).toBe(0);
    return answer;
  }

  it("a route's 429 (an API key past its own limit)", async () => {
    const { secret } = await (
      await callerFor(alice)
    ).apiKeys.create({ name: "slow", scopes: ["profile:read"], rateLimit: 1 });
    const me = () =>
      fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await me()).status).toBe(200);
    const limited = await heldThenAnswered(me);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("oversized tRPC batches spend the calls they ask for, then are refused with a held 429", async () => {
    const calls = 1000;
    const batch = () =>
      fetch(
        `${server.url}/api/trpc/${Array.from({ length: calls }, () => "me.get").join(",")}?batch=1`,
        { headers: alice.headers },
      );
    const fit = Math.floor(env.RATE_LIMIT_CALLS_PER_ADDRESS / calls);
    for (let i = 0; i < fit; i++) expect((await batch()).status).toBe(400);
    const limited = await heldThenAnswered(batch);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await limited.json()) as {
      error: { json: { message: string; data: { code: string } } };
    };
    expect(body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
    expect(body.error.json.message).toMatch(/Too many requests in a minute/);
  });
});
