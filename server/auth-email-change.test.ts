import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiAuditLogs, user } from "@/db/schema";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { useTestDatabase } from "@/test/database";
import { signUp, TEST_PASSWORD, type TestUser } from "@/test/users";
import { getAuth } from "./auth";
import { env } from "./env";
import { findDevMail, listDevMail } from "./mail/dev-mailbox";

const database = useTestDatabase();

let addresses = 0;

/**
 * A client address of its own for each test: Better Auth counts `/change-email` per address,
 * and every test here would otherwise share one count.
 */
function clientAddress(): string {
  addresses += 1;
  return `198.51.100.${addresses}`;
}

function authRequest(
  who: TestUser,
  path: string,
  init: { body?: unknown; query?: Record<string, string>; from: string },
): Promise<Response> {
  const url = new URL(`http://localhost:3000/api/auth${path}`);
  for (const [key, value] of Object.entries(init.query ?? {})) url.searchParams.set(key, value);
  return getAuth().handler(
    new Request(url, {
      method: init.body === undefined ? "GET" : "POST",
      headers: {
        ...Object.fromEntries(who.headers),
        "content-type": "application/json",
        origin: "http://localhost:3000",
        "x-forwarded-for": init.from,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
  );
}

function changeEmail(who: TestUser, newEmail: string, password: string, from: string) {
  return authRequest(who, "/change-email", { body: { newEmail, password }, from });
}

async function mailTo(email: string) {
  const summaries = (await listDevMail()).filter((m) => m.to === email);
  return Promise.all(summaries.map(async (m) => (await findDevMail(m.id))!));
}

function linkIn(text: string): URL {
  const match = /https?:\/\/\S+/.exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  return new URL(match[0]);
}

async function emailOf(id: string): Promise<string | undefined> {
  const [row] = await database.handle.db.select().from(user).where(eq(user.id, id));
  return row?.email;
}

async function signIn(email: string) {
  return getAuth().api.signInEmail({
    body: { email, password: TEST_PASSWORD },
    asResponse: true,
  });
}

function freshAddress(tag: string): string {
  return `${tag}-${Math.random().toString(36).slice(2, 10)}@example.test`;
}

async function auditRows(userId: string) {
  await createAuditFlusher(database.handle.db).flush();
  return database.handle.db.select().from(apiAuditLogs).where(eq(apiAuditLogs.userId, userId));
}

describe("changing one's email address", () => {
  it("mails a link to the new address, tells the old one, and changes nothing until the link is opened", async () => {
    const from = clientAddress();
    const olga = await signUp("Olga");
    const newEmail = freshAddress("olga-new");

    const response = await changeEmail(olga, newEmail, TEST_PASSWORD, from);
    expect(response.status).toBe(200);
    expect(await emailOf(olga.id)).toBe(olga.email);

    const [verification, ...more] = await mailTo(newEmail);
    expect(more).toEqual([]);
    expect(verification?.subject).toBe("Confirm your new email address for Parley");
    const link = linkIn(verification?.text ?? "");
    expect(link.origin + link.pathname).toBe(`${env.appUrl}/verify-email`);

    const notice = (await mailTo(olga.email)).find(
      (m) => m.subject === "Your Parley email address is being changed",
    );
    expect(notice?.text).toContain(newEmail);
    expect(notice?.text).toContain("change your password");
    expect(notice?.text).not.toMatch(/token=/);

    // Following the link (from the browser, as the /verify-email page does) applies it.
    const token = link.searchParams.get("token") ?? "";
    const applied = await authRequest(olga, "/verify-email", { query: { token }, from });
    expect(applied.status).toBe(200);
    expect(await applied.json()).toMatchObject({ user: { email: newEmail } });
    expect(await emailOf(olga.id)).toBe(newEmail);

    expect((await signIn(newEmail)).status).toBe(200);
    expect((await signIn(olga.email)).status).toBe(401);

    // The link works once: the account no longer has the address it was made for.
    const again = await authRequest(olga, "/verify-email", { query: { token }, from });
    expect(again.status).toBe(401);

    const rows = await auditRows(olga.id);
    const endpoints = rows.map((r) => [r.endpoint, r.statusCode, r.details]);
    expect(endpoints).toEqual(
      expect.arrayContaining([
        ["/api/auth/change-email", 200, { action: "change-email", emailChange: "requested" }],
        ["/api/auth/verify-email", 200, { action: "verify-email", emailChange: "applied" }],
      ]),
    );
    const logged = JSON.stringify(rows);
    expect(logged).not.toContain(TEST_PASSWORD);
    expect(logged).not.toContain(newEmail);
    expect(logged).not.toContain(token);
  });

  it("also asks an account whose address is not verified to verify the new one first", async () => {
    const from = clientAddress();
    const uma = await signUp("Uma");
    const [row] = await database.handle.db.select().from(user).where(eq(user.id, uma.id));
    expect(row?.emailVerified).toBe(false);
    const newEmail = freshAddress("uma-new");

    expect((await changeEmail(uma, newEmail, TEST_PASSWORD, from)).status).toBe(200);
    expect(await emailOf(uma.id)).toBe(uma.email);
    const [verification] = await mailTo(newEmail);
    expect(verification?.subject).toBe("Confirm your new email address for Parley");

    // Opening the link proves the new address: it is verified from then on.
    const token = linkIn(verification?.text ?? "").searchParams.get("token") ?? "";
    expect((await authRequest(uma, "/verify-email", { query: { token }, from })).status).toBe(200);
    const [after] = await database.handle.db.select().from(user).where(eq(user.id, uma.id));
    expect(after).toMatchObject({ email: newEmail, emailVerified: true });
  });

  it("refuses a wrong password with 400, mails nobody and changes nothing", async () => {
    const from = clientAddress();
    const walt = await signUp("Walt");
    const newEmail = freshAddress("walt-new");
    const before = (await mailTo(walt.email)).length;

    const response = await changeEmail(walt, newEmail, "not the password", from);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: "INVALID_PASSWORD",
      message: "Your current password is not right",
    });
    const missing = await authRequest(walt, "/change-email", { body: { newEmail }, from });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ message: "Enter your current password" });

    expect(await mailTo(newEmail)).toEqual([]);
    expect(await mailTo(walt.email)).toHaveLength(before);
    expect(await emailOf(walt.id)).toBe(walt.email);

    const rows = await auditRows(walt.id);
    expect(rows.filter((r) => r.endpoint === "/api/auth/change-email")).toEqual([
      expect.objectContaining({ statusCode: 400 }),
      expect.objectContaining({ statusCode: 400 }),
    ]);
    expect(JSON.stringify(rows)).not.toContain("not the password");
  });

  it("refuses the address the account already has", async () => {
    const from = clientAddress();
    const sam = await signUp("Sam");
    const response = await changeEmail(sam, sam.email.toUpperCase(), TEST_PASSWORD, from);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: "That is already your email address" });
  });

  it("answers for a taken address as for a free one, mails its owner, and changes neither account", async () => {
    const from = clientAddress();
    const tom = await signUp("Tom");
    const tina = await signUp("Tina");
    const tinaMailBefore = (await mailTo(tina.email)).length;

    const free = await changeEmail(tom, freshAddress("tom-free"), TEST_PASSWORD, from);
    const taken = await changeEmail(tom, tina.email, TEST_PASSWORD, from);
    expect(taken.status).toBe(free.status);
    expect(await taken.json()).toEqual(await free.json());

    const tinaMail = (await mailTo(tina.email)).slice(0, -tinaMailBefore || undefined);
    expect(tinaMail.map((m) => m.subject)).toEqual(["This address already has a Parley account"]);
    expect(tinaMail[0]?.text).not.toMatch(/token=/);
    // Tom's own address hears of both requests alike.
    const notices = (await mailTo(tom.email)).filter(
      (m) => m.subject === "Your Parley email address is being changed",
    );
    expect(notices).toHaveLength(2);

    expect(await emailOf(tom.id)).toBe(tom.email);
    expect(await emailOf(tina.id)).toBe(tina.email);
  });

  it("refuses a link whose address another account has taken since", async () => {
    const from = clientAddress();
    const vic = await signUp("Vic");
    const newEmail = freshAddress("vic-new");
    await changeEmail(vic, newEmail, TEST_PASSWORD, from);
    const token = linkIn((await mailTo(newEmail))[0]?.text ?? "").searchParams.get("token") ?? "";
    const squatter = await signUp("Squatter", { email: newEmail });

    const response = await authRequest(vic, "/verify-email", { query: { token }, from });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "INVALID_TOKEN" });
    expect(await emailOf(vic.id)).toBe(vic.email);
    expect(await emailOf(squatter.id)).toBe(newEmail);
  });

  it("cancels a pending change when the password changes", async () => {
    const from = clientAddress();
    const pia = await signUp("Pia");
    const newEmail = freshAddress("pia-new");
    await changeEmail(pia, newEmail, TEST_PASSWORD, from);
    const token = linkIn((await mailTo(newEmail))[0]?.text ?? "").searchParams.get("token") ?? "";
    // The owner, warned by the notice, changes the password (a link's time is in whole
    // seconds, so in a later second than the request).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const changed = await authRequest(pia, "/change-password", {
      body: { currentPassword: TEST_PASSWORD, newPassword: "a brand new secret" },
      from,
    });
    expect(changed.status).toBe(200);

    const response = await authRequest(pia, "/verify-email", { query: { token }, from });
    expect(response.status).toBe(400);
    expect(await emailOf(pia.id)).toBe(pia.email);
  });

  it(`refuses requests past EMAIL_CHANGE_LIMIT (${env.EMAIL_CHANGE_LIMIT}) a minute with 429`, async () => {
    const from = clientAddress();
    const rob = await signUp("Rob");
    for (let i = 0; i < env.EMAIL_CHANGE_LIMIT; i++) {
      const response = await changeEmail(rob, freshAddress("rob"), "wrong password", from);
      expect(response.status).toBe(400);
    }
    const newEmail = freshAddress("rob-new");
    const limited = await changeEmail(rob, newEmail, TEST_PASSWORD, from);
    expect(limited.status).toBe(429);
    expect(await mailTo(newEmail)).toEqual([]);
    // Another client address has its own count.
    expect((await changeEmail(rob, newEmail, TEST_PASSWORD, clientAddress())).status).toBe(200);
  });
});
