import { describe, expect, it } from "vitest";
import { createTokenSource, type IssuedToken } from "./token-source";

function issuer(now: { ms: number }) {
  let n = 0;
  const fetchToken = (): Promise<IssuedToken> => {
    n += 1;
    return Promise.resolve({ token: `t${n}`, expiresAt: new Date(now.ms + 15 * 60_000) });
  };
  return { fetchToken, count: () => n };
}

describe("the realtime token source", () => {
  it("serves the cached token until a minute before expiry, then fetches a new one", async () => {
    const now = { ms: 0 };
    const tokens = issuer(now);
    const token = createTokenSource(tokens.fetchToken, { now: () => now.ms });

    const [a, b] = await Promise.all([token(), token()]);
    expect([a, b]).toEqual(["t1", "t1"]);
    expect(tokens.count()).toBe(1); // concurrent callers share one request

    now.ms = 13 * 60_000;
    expect(await token()).toBe("t1");
    now.ms = 14 * 60_000 + 1;
    expect(await token()).toBe("t2");
    expect(tokens.count()).toBe(2);
  });

  it("keeps a still-valid token when a refresh fails, and fails once it has expired", async () => {
    const now = { ms: 0 };
    let fail = false;
    const token = createTokenSource(
      () =>
        fail
          ? Promise.reject(new Error("offline"))
          : Promise.resolve({ token: "ok", expiresAt: new Date(now.ms + 60_000) }),
      { now: () => now.ms, refreshBeforeMs: 30_000 },
    );
    expect(await token()).toBe("ok");
    fail = true;
    now.ms = 40_000;
    expect(await token()).toBe("ok");
    now.ms = 61_000;
    await expect(token()).rejects.toThrow("offline");
  });
});
