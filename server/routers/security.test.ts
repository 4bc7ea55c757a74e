import { beforeAll, describe, expect, it } from "vitest";
import { takeAudit } from "@/server/audit/buffer";
import { getAuth } from "@/server/auth";
import { useTestDatabase } from "@/test/database";
import { callerFor, signInAgain, signUp, type TestUser } from "@/test/users";

useTestDatabase();

const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/** Another device of the same user: a second, real Better Auth session. */
const signInFrom = (who: TestUser, userAgent: string) =>
  signInAgain(who, new Headers({ "user-agent": userAgent, "x-forwarded-for": "203.0.113.7" }));

async function sessionIdOf(who: TestUser): Promise<string> {
  const session = await getAuth().api.getSession({ headers: who.headers });
  if (!session) throw new Error("not signed in");
  return session.session.id;
}

const isSignedIn = async (who: TestUser) =>
  (await getAuth().api.getSession({ headers: who.headers })) !== null;

describe("security.sessions", () => {
  let alice: TestUser;
  let aliceLaptop: TestUser;
  let alicePhone: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    alice = await signUp("Alice");
    aliceLaptop = await signInFrom(alice, FIREFOX_LINUX);
    alicePhone = await signInFrom(alice, SAFARI_IPHONE);
    bob = await signUp("Bob");
  });

  it("lists my own sessions only, current first, described and without tokens", async () => {
    const sessions = await (await callerFor(aliceLaptop)).security.sessions.list();
    expect(sessions).toHaveLength(3);
    expect(sessions[0]).toMatchObject({
      id: await sessionIdOf(aliceLaptop),
      current: true,
      browser: "Firefox 128",
      os: "Linux",
      deviceType: "desktop",
    });
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const phoneId = await sessionIdOf(alicePhone);
    expect(sessions.find((s) => s.id === phoneId)).toMatchObject({
      browser: "Mobile Safari 17",
      os: "iOS 17",
      deviceType: "mobile",
    });
    for (const s of sessions) expect(Object.keys(s)).not.toContain("token");
    expect(JSON.stringify(sessions)).not.toMatch(/token/i);

    const bobs = await (await callerFor(bob)).security.sessions.list();
    expect(bobs.map((s) => s.id)).toEqual([await sessionIdOf(bob)]);
  });

  it("shows each session's address as the HTTP layer pinned it, IPv6 in full", async () => {
    const carol = await signUp("Carol");
    const from = async (address: string) =>
      sessionIdOf(await signInAgain(carol, new Headers({ "x-forwarded-for": address })));
    const loopback = await from("::1");
    const documentation = await from("2001:db8:1:2::7");
    const ipv4 = await from("198.51.100.9");
    const sessions = await (await callerFor(carol)).security.sessions.list();
    const addressOf = (id: string) => sessions.find((s) => s.id === id)?.ipAddress;
    expect(addressOf(loopback)).toBe("::1");
    expect(addressOf(documentation)).toBe("2001:db8:1:2::7");
    expect(addressOf(ipv4)).toBe("198.51.100.9");
  });

  it("refuses anonymous callers", async () => {
    const anon = await callerFor(null);
    await expect(anon.security.sessions.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(anon.security.sessions.revokeOthers()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("answers NOT_FOUND for someone else's session and leaves it alone", async () => {
    const phoneId = await sessionIdOf(alicePhone);
    const api = await callerFor(bob);
    await expect(api.security.sessions.revoke({ id: phoneId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      api.security.sessions.revoke({ id: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await isSignedIn(alicePhone)).toBe(true);
  });

  it("rejects a malformed id and the session making the request", async () => {
    const api = await callerFor(aliceLaptop);
    await expect(api.security.sessions.revoke({ id: "x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      api.security.sessions.revoke({ id: await sessionIdOf(aliceLaptop) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await isSignedIn(aliceLaptop)).toBe(true);
  });

  it("revokes one of my other sessions, and the audit log records it", async () => {
    takeAudit(10_000);
    const phoneId = await sessionIdOf(alicePhone);
    const api = await callerFor(aliceLaptop);
    expect(await api.security.sessions.revoke({ id: phoneId })).toEqual({ revoked: 1 });
    expect(await isSignedIn(alicePhone)).toBe(false);
    expect(await isSignedIn(aliceLaptop)).toBe(true);
    expect((await api.security.sessions.list()).map((s) => s.id)).not.toContain(phoneId);

    const audit = takeAudit(10_000).filter((e) => e.endpoint === "/api/auth/revoke-session");
    expect(audit).toEqual([
      expect.objectContaining({ userId: alice.id, actorId: alice.id, statusCode: 200 }),
    ]);
  });

  it("signs out every other device and keeps the current one", async () => {
    const tablet = await signInFrom(alice, SAFARI_IPHONE);
    const api = await callerFor(aliceLaptop);
    // alice's original session and the tablet: two others.
    expect(await api.security.sessions.revokeOthers()).toEqual({ revoked: 2 });
    expect(await isSignedIn(aliceLaptop)).toBe(true);
    expect(await isSignedIn(alice)).toBe(false);
    expect(await isSignedIn(tablet)).toBe(false);
    expect(await isSignedIn(bob)).toBe(true);
    const left = await api.security.sessions.list();
    expect(left.map((s) => s.id)).toEqual([await sessionIdOf(aliceLaptop)]);
  });
});
