import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { session as sessionTable, user as userTable } from "@/db/schema";
import { createTRPCContext } from "@/server/trpc/context";
import { useTestDatabase } from "@/test/database";
import {
  callerFor,
  makeSessionsDueForExtension,
  setSessionExpiry,
  signInAgain,
  signUp,
  type TestUser,
} from "@/test/users";
import { getAuth } from "./auth";
import { getRequestSession } from "./auth-session";

const database = useTestDatabase();

/**
 * Records every statement and transaction the driver is handed, without changing what it
 * does: the spies call through to the real PGlite instance or postgres.js client, which
 * Better Auth shares with the rest of the process.
 */
function recordStatements(handle: DatabaseHandle) {
  const spies: MockInstance[] = [];
  if (handle.pglite) {
    spies.push(vi.spyOn(handle.pglite, "query"), vi.spyOn(handle.pglite, "transaction"));
  } else {
    // postgres.js: Drizzle sends every statement through `unsafe` and transactions through `begin`.
    const client = (
      handle.db as unknown as { $client: { unsafe: () => unknown; begin: () => unknown } }
    ).$client;
    spies.push(vi.spyOn(client, "unsafe"), vi.spyOn(client, "begin"));
  }
  const [statements, transactions] = spies;
  return {
    get statements(): string[] {
      return (statements?.mock.calls ?? []).map((call) => String(call[0]));
    },
    get transactions(): number {
      return transactions?.mock.calls.length ?? 0;
    },
  };
}

const sessionOf = async (who: TestUser) =>
  (await createTRPCContext({ headers: who.headers })).session;

describe("the session lookup of every tRPC call", () => {
  let admin: TestUser;

  beforeAll(async () => {
    admin = await signUp("Root", { role: "admin" });
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("reads the session and its user in one statement, and writes nothing", async () => {
    const alice = await signUp("Alice");
    await getAuth().api.getSession({ headers: alice.headers }); // Better Auth's lazy init
    const recorded = recordStatements(database.handle);
    const found = await sessionOf(alice);
    expect(recorded.transactions).toBe(0);
    expect(recorded.statements).toHaveLength(1);
    expect(recorded.statements[0]).toMatch(/^select .* from "session" .*"user"/is);

    const [stored] = await database.handle.db
      .select()
      .from(sessionTable)
      .where(eq(sessionTable.userId, alice.id));
    const [storedUser] = await database.handle.db
      .select()
      .from(userTable)
      .where(eq(userTable.id, alice.id));
    expect(found?.session).toMatchObject({
      id: stored?.id,
      userId: alice.id,
      expiresAt: stored?.expiresAt,
      createdAt: stored?.createdAt,
    });
    expect(found?.user).toMatchObject({
      id: alice.id,
      email: alice.email,
      name: "Alice",
      role: "user",
      banned: false,
      emailVerified: false,
      createdAt: storedUser?.createdAt,
    });
    expect(found?.session.expiresAt).toBeInstanceOf(Date);
  });

  it("extends a session at most once a day (updateAge), never on every call", async () => {
    const bob = await signUp("Bob");
    await makeSessionsDueForExtension(bob);
    const { expiresIn } = (await getAuth().$context).sessionConfig;

    // Without a response to renew the cookie on, nothing is extended.
    const unextendable = recordStatements(database.handle);
    await sessionOf(bob);
    expect(unextendable.statements.filter((s) => /^update "session"/i.test(s))).toHaveLength(0);
    vi.restoreAllMocks();

    const renewed: string[] = [];
    const first = recordStatements(database.handle);
    const extended = (
      await createTRPCContext({
        headers: bob.headers,
        response: { setCookie: (cookie) => renewed.push(cookie) },
      })
    ).session;
    expect(renewed).toHaveLength(1);
    expect(first.statements.filter((s) => /^update "session"/i.test(s))).toHaveLength(1);
    expect(extended?.session.expiresAt.getTime()).toBeGreaterThan(
      Date.now() + (expiresIn - 60) * 1000,
    );
    vi.restoreAllMocks();

    const next = recordStatements(database.handle);
    await sessionOf(bob);
    await sessionOf(bob);
    expect(next.statements).toHaveLength(2);
    expect(next.statements.every((s) => /^select/i.test(s))).toBe(true);
  });

  it("ends a signed-out, revoked, admin-revoked or banned session on the very next call", async () => {
    const carol = await signUp("Carol");
    const carolPhone = await signInAgain(carol);
    const carolTablet = await signInAgain(carol);
    const dave = await signUp("Dave");
    const erin = await signUp("Erin");
    for (const who of [carol, carolPhone, carolTablet, dave, erin])
      expect(await sessionOf(who)).not.toBeNull();

    await getAuth().api.signOut({ headers: carol.headers });
    expect(await sessionOf(carol)).toBeNull();

    const phoneToken = (await sessionOf(carolPhone))?.session.token ?? "";
    await getAuth().api.revokeSession({
      headers: carolTablet.headers,
      body: { token: phoneToken },
    });
    expect(await sessionOf(carolPhone)).toBeNull();
    expect(await sessionOf(carolTablet)).not.toBeNull();

    await getAuth().api.revokeUserSessions({ body: { userId: carol.id }, headers: admin.headers });
    expect(await sessionOf(carolTablet)).toBeNull();

    await getAuth().api.banUser({
      body: { userId: dave.id, banReason: "Spam links" },
      headers: admin.headers,
    });
    expect(await sessionOf(dave)).toBeNull();
    await expect((await callerFor(dave)).me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });

    // A session past its expiry is refused even though its row is still there.
    await setSessionExpiry(erin, new Date(Date.now() - 1000));
    expect(await sessionOf(erin)).toBeNull();
  });

  it("sees a role change on the very next call", async () => {
    const frank = await signUp("Frank");
    expect((await sessionOf(frank))?.user.role).toBe("user");
    await getAuth().api.setRole({
      body: { userId: frank.id, role: "admin" },
      headers: admin.headers,
    });
    expect((await sessionOf(frank))?.user.role).toBe("admin");
  });
});

describe("getRequestSession against Better Auth's getSession", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const cookieOf = (who: TestUser) => who.headers.get("cookie") ?? "";
  const withCookie = (cookie: string) => new Headers({ cookie });
  /** The session token cookie's name=value pair, split at the signature. */
  const tokenCookie = async (who: TestUser) => {
    const name = (await getAuth().$context).authCookies.sessionToken.name;
    const pair = cookieOf(who)
      .split("; ")
      .find((c) => c.startsWith(`${name}=`));
    const [value, signature] = decodeURIComponent(pair?.slice(name.length + 1) ?? "").split(".");
    return { name, value: value ?? "", signature: signature ?? "" };
  };

  /** A second session of `who`, signed in with "remember me" unticked. */
  const signInWithoutRememberMe = async (who: TestUser) =>
    (await signInAgain(who, undefined, { rememberMe: false })).headers;

  it("gives the same answer, field for field, with and without 'remember me'", async () => {
    const grace = await signUp("Grace");
    const forgetful = await signInWithoutRememberMe(grace);
    expect(forgetful.get("cookie")).toMatch(/dont_remember=/);
    for (const headers of [grace.headers, forgetful]) {
      const ours = await getRequestSession(headers);
      expect(ours).not.toBeNull();
      expect(ours).toStrictEqual(await getAuth().api.getSession({ headers }));
    }
  });

  it("refuses a cookie not signed with the server's secret, without reading the database", async () => {
    const heidi = await signUp("Heidi");
    const { name, value, signature } = await tokenCookie(heidi);
    const otherToken = (await tokenCookie(await signInAgain(heidi))).value;
    const forged = [
      "",
      `${name}=${value}`, // unsigned
      `${name}=${encodeURIComponent(`${otherToken}.${signature}`)}`, // another token, this signature
      `${name}=${encodeURIComponent(`${value}.${signature.replace(/^./, (c) => (c === "A" ? "B" : "A"))}`)}`,
      `${name}=${encodeURIComponent(`${value}.${Buffer.alloc(32).toString("base64")}`)}`,
    ];
    const recorded = recordStatements(database.handle);
    for (const cookie of forged) {
      expect(await getRequestSession(withCookie(cookie))).toBeNull();
      expect(await getAuth().api.getSession({ headers: withCookie(cookie) })).toBeNull();
    }
    expect(recorded.statements.filter((s) => /"session"/.test(s))).toHaveLength(0);
    expect(await getRequestSession(heidi.headers)).not.toBeNull();
  });

  it("hands an expired session to Better Auth, which refuses it and deletes it", async () => {
    const ivan = await signUp("Ivan");
    await setSessionExpiry(ivan, new Date(Date.now() - 1000));
    expect(await getRequestSession(ivan.headers)).toBeNull();
    const left = await database.handle.db
      .select()
      .from(sessionTable)
      .where(eq(sessionTable.userId, ivan.id));
    expect(left).toHaveLength(0);
  });

  it("does not extend a 'don't remember me' session, as Better Auth does not", async () => {
    const judy = await signUp("Judy");
    const forgetful = await signInWithoutRememberMe(judy);
    const stale = await makeSessionsDueForExtension(judy);
    const recorded = recordStatements(database.handle);
    const found = await getRequestSession(forgetful);
    expect(found?.session.expiresAt).toEqual(stale);
    expect(recorded.statements).toHaveLength(1);
  });
});
