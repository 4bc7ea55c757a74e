import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiAuditLogs, session, user } from "@/db/schema";
import { getAuth } from "@/server/auth";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();
const DAY_MS = 86_400_000;

describe("admin.users.list", () => {
  let admin: TestUser;
  let zed: TestUser;
  let amy: TestUser;
  let mia: TestUser;

  beforeAll(async () => {
    admin = await signUp("Root", { role: "admin", email: "root@corp.example" });
    zed = await signUp("Zed", { email: "zed@other.example" });
    amy = await signUp("Amy", { email: "amy@corp.example" });
    mia = await signUp("Mia", { email: "mia_x@corp.example" });
    const at = (days: number) => new Date(Date.now() - days * DAY_MS);
    await database.handle.db
      .update(user)
      .set({ createdAt: at(3) })
      .where(eq(user.id, admin.id));
    await database.handle.db
      .update(user)
      .set({ createdAt: at(2) })
      .where(eq(user.id, zed.id));
    await database.handle.db
      .update(user)
      .set({ createdAt: at(1) })
      .where(eq(user.id, amy.id));
    await getAuth().api.banUser({
      body: { userId: mia.id, banReason: "Spam links" },
      headers: admin.headers,
    });
  });

  it("lists everyone with email, role, ban and activity, newest first", async () => {
    const page = await (await callerFor(admin)).admin.users.list({});
    expect(page.total).toBe(4);
    expect(page.items.map((u) => u.name)).toEqual(["Mia", "Amy", "Zed", "Root"]);
    expect(page.items[0]).toMatchObject({
      email: "mia_x@corp.example",
      role: "user",
      banned: true,
      banReason: "Spam links",
      banExpires: null,
      lastActiveAt: null, // the ban ended her sessions
    });
    expect(page.items[3]).toMatchObject({ role: "admin", banned: false, banReason: null });
    expect(page.items[3]?.lastActiveAt).toBeInstanceOf(Date);
  });

  it("searches names and emails, with wildcards taken literally", async () => {
    const api = await callerFor(admin);
    const byEmail = await api.admin.users.list({ search: "CORP.example" });
    expect(byEmail.items.map((u) => u.name).sort()).toEqual(["Amy", "Mia", "Root"]);
    expect((await api.admin.users.list({ search: "ze" })).items.map((u) => u.name)).toEqual([
      "Zed",
    ]);
    expect((await api.admin.users.list({ search: "_x@" })).items.map((u) => u.name)).toEqual([
      "Mia",
    ]);
    expect((await api.admin.users.list({ search: "%" })).total).toBe(0);
  });

  it("filters by role and ban, and sorts", async () => {
    const api = await callerFor(admin);
    expect((await api.admin.users.list({ role: "admin" })).items.map((u) => u.name)).toEqual([
      "Root",
    ]);
    expect((await api.admin.users.list({ status: "banned" })).items.map((u) => u.name)).toEqual([
      "Mia",
    ]);
    const active = await api.admin.users.list({ status: "active", role: "user" });
    expect(active.items.map((u) => u.name)).toEqual(["Amy", "Zed"]);
    const byName = await api.admin.users.list({ sort: "name", direction: "asc" });
    expect(byName.items.map((u) => u.name)).toEqual(["Amy", "Mia", "Root", "Zed"]);
    const byEmail = await api.admin.users.list({ sort: "email", direction: "desc" });
    expect(byEmail.items.map((u) => u.email)).toEqual([
      "zed@other.example",
      "root@corp.example",
      "mia_x@corp.example",
      "amy@corp.example",
    ]);
    const byActivity = await api.admin.users.list({ sort: "lastActive", direction: "desc" });
    expect(byActivity.items.at(-1)?.name).toBe("Mia"); // never active now: last
  });

  it("pages with a total, without repeating or skipping anyone", async () => {
    const api = await callerFor(admin);
    const seen: string[] = [];
    for (let p = 1; p <= 3; p++) {
      const page = await api.admin.users.list({
        sort: "name",
        direction: "asc",
        pageSize: 2,
        page: p,
      });
      expect(page.total).toBe(4);
      seen.push(...page.items.map((u) => u.name));
    }
    expect(seen).toEqual(["Amy", "Mia", "Root", "Zed"]);
    expect(await codeOf(api.admin.users.list({ pageSize: 1000 }))).toBe("BAD_REQUEST");
    expect(
      await codeOf(api.admin.users.list({ sort: "password" } as unknown as { sort: "name" })),
    ).toBe("BAD_REQUEST");
  });

  it("is closed to everyone but admins", async () => {
    expect(await codeOf((await callerFor(zed)).admin.users.list({}))).toBe("FORBIDDEN");
    expect(await codeOf((await callerFor(null)).admin.users.list({}))).toBe("UNAUTHORIZED");
  });
});

describe("admin actions through Better Auth", () => {
  let admin: TestUser;
  let otherAdmin: TestUser;
  let ann: TestUser;
  let ben: TestUser;

  const auditRows = async () => {
    await createAuditFlusher(database.handle.db).flush();
    return database.handle.db.select().from(apiAuditLogs).where(eq(apiAuditLogs.method, "AUTH"));
  };
  const rowFor = async (endpoint: string, statusCode = 200) =>
    (await auditRows()).filter(
      (r) =>
        r.endpoint === `/api/auth/admin/${endpoint}` &&
        r.statusCode === statusCode &&
        r.actorId === admin.id,
    );

  beforeAll(async () => {
    admin = await signUp("Ada", { role: "admin" });
    otherAdmin = await signUp("Otto", { role: "admin" });
    ann = await signUp("Ann");
    ben = await signUp("Ben");
  });

  it("audits role changes, unbans and session revocations with actor and subject", async () => {
    const api = getAuth().api;
    await api.setRole({ body: { userId: ann.id, role: "admin" }, headers: admin.headers });
    await api.setRole({ body: { userId: ann.id, role: "user" }, headers: admin.headers });
    await api.banUser({
      body: { userId: ann.id, banReason: "Cooling off", banExpiresIn: 3600 },
      headers: admin.headers,
    });
    await api.unbanUser({ body: { userId: ann.id }, headers: admin.headers });
    await api.revokeUserSessions({ body: { userId: ben.id }, headers: admin.headers });

    const roles = await rowFor("set-role");
    expect(roles).toHaveLength(2);
    expect(roles[0]).toMatchObject({ actorId: admin.id, userId: ann.id });
    expect(roles.map((r) => (r.details as { role?: string } | null)?.role).sort()).toEqual([
      "admin",
      "user",
    ]);
    const bans = await rowFor("ban-user");
    expect(bans).toHaveLength(1);
    expect(bans).toMatchObject([
      {
        actorId: admin.id,
        userId: ann.id,
        details: { reason: "Cooling off", expiresInSeconds: 3600 },
      },
    ]);
    expect(await rowFor("unban-user")).toEqual([
      expect.objectContaining({ actorId: admin.id, userId: ann.id }),
    ]);
    expect(await rowFor("revoke-user-sessions")).toEqual([
      expect.objectContaining({ actorId: admin.id, userId: ben.id }),
    ]);
    const bensSessions = await database.handle.db
      .select()
      .from(session)
      .where(eq(session.userId, ben.id));
    expect(bensSessions).toEqual([]);
  });

  it("audits impersonation and its end, with the admin as actor both times", async () => {
    const started = await getAuth().api.impersonateUser({
      body: { userId: ann.id },
      headers: admin.headers,
      asResponse: true,
    });
    expect(started.status).toBe(200);
    // The browser now holds Ann's impersonation session and the admin's session aside.
    const cookie = started.headers
      .getSetCookie()
      .map((c) => c.split(";")[0] ?? "")
      .filter((c) => !c.endsWith("="))
      .join("; ");
    const stopped = await getAuth().api.stopImpersonating({
      headers: new Headers({ cookie }),
      asResponse: true,
    });
    expect(stopped.status).toBe(200);

    expect(await rowFor("impersonate-user")).toEqual([
      expect.objectContaining({ actorId: admin.id, userId: ann.id }),
    ]);
    const stops = await rowFor("stop-impersonating");
    expect(stops).toHaveLength(1);
    expect(stops).toMatchObject([
      { actorId: admin.id, userId: ann.id, details: { action: "admin.stop-impersonating" } },
    ]);
  });

  it("refuses self-demotion, banning or deleting admins, and bans without a reason", async () => {
    const api = getAuth().api;
    const failure = async (call: Promise<unknown>) => {
      try {
        await call;
      } catch (error) {
        return (error as { message?: string }).message;
      }
      throw new Error("expected the call to fail");
    };
    expect(
      await failure(
        api.setRole({ body: { userId: admin.id, role: "user" }, headers: admin.headers }),
      ),
    ).toBe("You cannot change your own role");
    expect(
      await failure(
        api.setRole({
          // A role Parley does not know, as a hand-made request could send it.
          body: { userId: ben.id, role: "superuser" as "user" },
          headers: admin.headers,
        }),
      ),
    ).toMatch(/role is one of/);
    expect(
      await failure(
        api.banUser({
          body: { userId: otherAdmin.id, banReason: "x".repeat(5) },
          headers: admin.headers,
        }),
      ),
    ).toMatch(/Admins cannot be banned/);
    expect(
      await failure(
        api.banUser({ body: { userId: ben.id, banReason: " " }, headers: admin.headers }),
      ),
    ).toMatch(/reason/);
    expect(
      await failure(api.removeUser({ body: { userId: otherAdmin.id }, headers: admin.headers })),
    ).toMatch(/start their deletion instead/);
    // A non-admin gets Better Auth's own refusal.
    expect(
      await failure(
        api.banUser({ body: { userId: ann.id, banReason: "nope" }, headers: ben.headers }),
      ),
    ).toBeDefined();

    const [me, other] = await Promise.all([
      database.handle.db.select().from(user).where(eq(user.id, admin.id)),
      database.handle.db.select().from(user).where(eq(user.id, otherAdmin.id)),
    ]);
    expect(me[0]?.role).toBe("admin");
    expect(other[0]).toMatchObject({ role: "admin", banned: false });

    const refused = (await auditRows()).filter(
      (r) => (r.details as { refused?: string } | null)?.refused && r.actorId === admin.id,
    );
    expect(refused.map((r) => r.endpoint).sort()).toEqual([
      "/api/auth/admin/ban-user",
      "/api/auth/admin/ban-user",
      "/api/auth/admin/remove-user",
      "/api/auth/admin/set-role",
      "/api/auth/admin/set-role",
    ]);
    expect(refused.every((r) => r.statusCode === 400 && r.actorId === admin.id)).toBe(true);
  });

  it("removes nobody outright: the row stays, and the refusal is in the admin's trail", async () => {
    await expect(
      getAuth().api.removeUser({ body: { userId: ben.id }, headers: admin.headers }),
    ).rejects.toThrow(/start their deletion instead/);
    const rows = await database.handle.db
      .select()
      .from(user)
      .where(and(eq(user.id, ben.id)));
    expect(rows).toHaveLength(1);
    const removals = (await rowFor("remove-user", 400)).filter(
      (r) => (r.details as { targetUserId?: string } | null)?.targetUserId === ben.id,
    );
    expect(removals).toMatchObject([
      {
        actorId: admin.id,
        userId: admin.id,
        statusCode: 400,
        details: { action: "admin.remove-user", targetUserId: ben.id },
      },
    ]);
  });
});

describe("admin.users.resetTwoFactor", () => {
  it("shows who has two-factor on, and turns it off for them with an audit row", async () => {
    const admin = await signUp("Root", { role: "admin" });
    const locked = await signUp("Lou");
    await database.handle.db
      .update(user)
      .set({ twoFactorEnabled: true })
      .where(eq(user.id, locked.id));
    const api = await callerFor(admin);
    const listed = await api.admin.users.list({ search: locked.email });
    expect(listed.items).toEqual([expect.objectContaining({ twoFactorEnabled: true })]);

    expect(await api.admin.users.resetTwoFactor({ userId: locked.id })).toEqual({
      wasEnabled: true,
    });
    const after = await api.admin.users.list({ search: locked.email });
    expect(after.items).toEqual([expect.objectContaining({ twoFactorEnabled: false })]);

    await createAuditFlusher(database.handle.db).flush();
    const rows = await database.handle.db
      .select()
      .from(apiAuditLogs)
      .where(eq(apiAuditLogs.userId, locked.id));
    expect(rows).toEqual([
      expect.objectContaining({
        actorId: admin.id,
        details: { action: "two_factor.reset", targetUserId: locked.id },
      }),
    ]);
  });

  it("is refused to everyone but admins, to an admin for themself, and for nobody", async () => {
    const admin = await signUp("Root", { role: "admin" });
    const other = await signUp("Ola");
    const target = await signUp("Pia");
    expect(
      await codeOf((await callerFor(other)).admin.users.resetTwoFactor({ userId: target.id })),
    ).toBe("FORBIDDEN");
    const api = await callerFor(admin);
    expect(await codeOf(api.admin.users.resetTwoFactor({ userId: admin.id }))).toBe("FORBIDDEN");
    expect(
      await codeOf(
        api.admin.users.resetTwoFactor({ userId: "00000000-0000-4000-8000-000000000000" }),
      ),
    ).toBe("NOT_FOUND");
  });
});
