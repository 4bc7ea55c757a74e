import { createOTP } from "@better-auth/utils/otp";
import { base32 } from "@better-auth/utils/base32";
import { and, eq, like, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { withRls } from "@/db/rls";
import { queryRows } from "@/db/rows";
import { apiAuditLogs, session, twoFactor, user, verification } from "@/db/schema";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { listDevMail } from "@/server/mail/dev-mailbox";
import { startSecurityNotices } from "./auth-security-notices";
import { AuthBrowser } from "@/test/auth-browser";
import { useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { callerFor, signUp, TEST_PASSWORD, type TestUser } from "@/test/users";
import { env } from "./env";

/**
 * Two-factor sign-in through Better Auth's HTTP handler, as a browser does it: enrolment with
 * a code check, the second step of signing in, backup codes, "trust this device", turning it
 * off, the admin's reset, and what request roles may not see.
 */
const database = useTestDatabase();
const db = () => database.handle.db;

/** The raw secret behind an otpauth:// URI, to compute codes as an authenticator app does. */
function secretOf(totpURI: string): string {
  const encoded = new URL(totpURI).searchParams.get("secret") ?? "";
  return new TextDecoder().decode(base32.decode(encoded));
}

/**
 * A code the server accepts now that is not one used before: the first for a secret is the
 * current step's, the next the following step's (accepted as clock drift). A code is spent
 * once used, as an app's next code would be.
 */
const codesGiven = new Map<string, { step: number; given: number }>();
function codeFor(secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 30_000);
  const seen = codesGiven.get(secret) ?? { step: now, given: 0 };
  codesGiven.set(secret, { step: seen.step, given: seen.given + 1 });
  return createOTP(secret).hotp(seen.step + seen.given);
}

interface Enrolled {
  person: TestUser;
  browser: AuthBrowser;
  secret: string;
  backupCodes: string[];
}

async function signedInBrowser(person: TestUser): Promise<AuthBrowser> {
  const browser = new AuthBrowser();
  const response = await browser.post("/sign-in/email", {
    email: person.email,
    password: TEST_PASSWORD,
  });
  expect(response.status).toBe(200);
  return browser;
}

async function enrol(name: string): Promise<Enrolled> {
  const person = await signUp(name);
  const browser = await signedInBrowser(person);
  const enabled = await browser.post("/two-factor/enable", { password: TEST_PASSWORD });
  expect(enabled.status).toBe(200);
  const { totpURI, backupCodes } = (await enabled.json()) as {
    totpURI: string;
    backupCodes: string[];
  };
  const secret = secretOf(totpURI);
  const verified = await browser.post("/two-factor/verify-totp", { code: await codeFor(secret) });
  expect(verified.status).toBe(200);
  return { person, browser, secret, backupCodes };
}

async function twoFactorEnabled(id: string): Promise<boolean> {
  const [row] = await db().select({ on: user.twoFactorEnabled }).from(user).where(eq(user.id, id));
  return row?.on ?? false;
}

async function sessionsOf(id: string): Promise<number> {
  const rows = await db().select({ id: session.id }).from(session).where(eq(session.userId, id));
  return rows.length;
}

describe("two-factor enrolment", () => {
  it("shows a QR code's URI and ten backup codes, and is on only once a code is checked", async () => {
    const person = await signUp("Tess");
    const browser = await signedInBrowser(person);
    const enabled = await browser.post("/two-factor/enable", { password: TEST_PASSWORD });
    const body = (await enabled.json()) as { totpURI: string; backupCodes: string[] };
    expect(body.totpURI).toMatch(/^otpauth:\/\/totp\/Parley:/);
    expect(new URL(body.totpURI).searchParams.get("issuer")).toBe("Parley");
    expect(body.backupCodes).toHaveLength(10);
    expect(new Set(body.backupCodes).size).toBe(10);
    expect(await twoFactorEnabled(person.id)).toBe(false);

    const wrong = await browser.post("/two-factor/verify-totp", { code: "000000" });
    expect(wrong.status).toBe(401);
    expect(await twoFactorEnabled(person.id)).toBe(false);

    const secret = secretOf(body.totpURI);
    const right = await browser.post("/two-factor/verify-totp", { code: await codeFor(secret) });
    expect(right.status).toBe(200);
    expect(await twoFactorEnabled(person.id)).toBe(true);
  });

  it("needs the password to start, and stores nothing on a wrong one", async () => {
    const person = await signUp("Umar");
    const browser = await signedInBrowser(person);
    const response = await browser.post("/two-factor/enable", { password: "not my password" });
    expect(response.status).toBe(400);
    expect(await db().select().from(twoFactor).where(eq(twoFactor.userId, person.id))).toEqual([]);
  });

  it("keeps the secret and the backup codes encrypted at rest", async () => {
    const { person, secret, backupCodes } = await enrol("Vera");
    const [row] = await db().select().from(twoFactor).where(eq(twoFactor.userId, person.id));
    expect(row?.secret).not.toContain(secret);
    for (const code of backupCodes) expect(row?.backupCodes).not.toContain(code);
  });
});

describe("signing in with a second factor", () => {
  it("asks for the code after the password, and makes a session only once it is right", async () => {
    const { person } = await enrol("Wren");
    const before = await sessionsOf(person.id);
    const browser = new AuthBrowser();
    const first = await browser.post("/sign-in/email", {
      email: person.email,
      password: TEST_PASSWORD,
    });
    expect(await first.json()).toMatchObject({
      twoFactorRedirect: true,
      twoFactorMethods: ["totp"],
    });
    expect(browser.has("session_token")).toBe(false);
    expect(await sessionsOf(person.id)).toBe(before);

    const wrong = await browser.post("/two-factor/verify-totp", { code: "123456" });
    expect(wrong.status).toBe(401);
    expect(await sessionsOf(person.id)).toBe(before);
  });

  it("takes each code once: the one that confirmed enrolment does not sign in", async () => {
    const person = await signUp("Olga");
    const browser = await signedInBrowser(person);
    const enabled = await browser.post("/two-factor/enable", { password: TEST_PASSWORD });
    const secret = secretOf(((await enabled.json()) as { totpURI: string }).totpURI);
    const code = await codeFor(secret);
    expect((await browser.post("/two-factor/verify-totp", { code })).status).toBe(200);

    const signingIn = new AuthBrowser();
    await signingIn.post("/sign-in/email", { email: person.email, password: TEST_PASSWORD });
    const replay = await signingIn.post("/two-factor/verify-totp", { code });
    expect(replay.status).toBe(401);
    const { message } = (await replay.json()) as { message: string };
    expect(message).toMatch(/used already/);
    expect(signingIn.has("session_token")).toBe(false);
    const next = await signingIn.post("/two-factor/verify-totp", { code: await codeFor(secret) });
    expect(next.status).toBe(200);
  });

  it("lets the right code in, and a trusted device skip it next time", async () => {
    const { person, secret } = await enrol("Xena");
    const browser = new AuthBrowser();
    await browser.post("/sign-in/email", { email: person.email, password: TEST_PASSWORD });
    const verified = await browser.post("/two-factor/verify-totp", {
      code: await codeFor(secret),
      trustDevice: true,
    });
    expect(verified.status).toBe(200);
    expect(browser.has("session_token")).toBe(true);
    const me = (await (await browser.get("/get-session")).json()) as { user: { id: string } };
    expect(me.user.id).toBe(person.id);

    await browser.post("/sign-out");
    const again = await browser.post("/sign-in/email", {
      email: person.email,
      password: TEST_PASSWORD,
    });
    expect(await again.json()).not.toHaveProperty("twoFactorRedirect");
    expect(browser.has("session_token")).toBe(true);

    // Another browser was not trusted.
    const other = new AuthBrowser();
    const elsewhere = await other.post("/sign-in/email", {
      email: person.email,
      password: TEST_PASSWORD,
    });
    expect(await elsewhere.json()).toMatchObject({ twoFactorRedirect: true });
  });

  it("takes each backup code once", async () => {
    const { person, backupCodes } = await enrol("Yuri");
    const code = backupCodes[0]!;
    const first = new AuthBrowser();
    await first.post("/sign-in/email", { email: person.email, password: TEST_PASSWORD });
    expect((await first.post("/two-factor/verify-backup-code", { code })).status).toBe(200);

    const second = new AuthBrowser();
    await second.post("/sign-in/email", { email: person.email, password: TEST_PASSWORD });
    expect((await second.post("/two-factor/verify-backup-code", { code })).status).toBe(401);
    expect(second.has("session_token")).toBe(false);
  });

  it("refuses more code attempts from one address than the limit allows", async () => {
    const { person } = await enrol("Zane");
    const browser = new AuthBrowser();
    await browser.post("/sign-in/email", { email: person.email, password: TEST_PASSWORD });
    const statuses: number[] = [];
    for (let i = 0; i <= env.TWO_FACTOR_ATTEMPT_LIMIT; i += 1) {
      statuses.push((await browser.post("/two-factor/verify-totp", { code: "000000" })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1)).not.toContain(200);
  });
});

describe("turning two-factor off", () => {
  it("needs the password, then forgets the secret and the trusted devices", async () => {
    const { person, browser, secret } = await enrol("Abel");
    // Trust this browser first, so there is a device to forget.
    const trusted = new AuthBrowser();
    await trusted.post("/sign-in/email", { email: person.email, password: TEST_PASSWORD });
    await trusted.post("/two-factor/verify-totp", {
      code: await codeFor(secret),
      trustDevice: true,
    });

    const wrong = await browser.post("/two-factor/disable", { password: "nope nope nope" });
    expect(wrong.status).toBe(400);
    expect(await twoFactorEnabled(person.id)).toBe(true);

    const off = await trusted.post("/two-factor/disable", { password: TEST_PASSWORD });
    expect(off.status).toBe(200);
    expect(await twoFactorEnabled(person.id)).toBe(false);
    expect(await db().select().from(twoFactor).where(eq(twoFactor.userId, person.id))).toEqual([]);
    const fresh = new AuthBrowser();
    const signIn = await fresh.post("/sign-in/email", {
      email: person.email,
      password: TEST_PASSWORD,
    });
    expect(await signIn.json()).not.toHaveProperty("twoFactorRedirect");
  });

  it("does not let a device trusted before skip the code of a new enrolment", async () => {
    const { person, browser, secret } = await enrol("Bela");
    const trusted = new AuthBrowser();
    await trusted.post("/sign-in/email", { email: person.email, password: TEST_PASSWORD });
    await trusted.post("/two-factor/verify-totp", {
      code: await codeFor(secret),
      trustDevice: true,
    });
    await trusted.post("/sign-out");

    // Turned off from another browser, then on again with a new authenticator.
    expect((await browser.post("/two-factor/disable", { password: TEST_PASSWORD })).status).toBe(
      200,
    );
    const again = await browser.post("/two-factor/enable", { password: TEST_PASSWORD });
    const { totpURI } = (await again.json()) as { totpURI: string };
    await browser.post("/two-factor/verify-totp", { code: await codeFor(secretOf(totpURI)) });
    expect(await twoFactorEnabled(person.id)).toBe(true);

    const signIn = await trusted.post("/sign-in/email", {
      email: person.email,
      password: TEST_PASSWORD,
    });
    expect(await signIn.json()).toMatchObject({ twoFactorRedirect: true });
  });
});

describe("two-factor and the database", () => {
  it("closes the secrets and the flag to request roles", async () => {
    const { person } = await enrol("Bria");
    expect(
      await outcome(withRls(person.id, (tx) => tx.execute(sql`select * from public.two_factor`))),
    ).toBe("42501");
    expect(
      await outcome(
        withRls(person.id, (tx) => tx.execute(sql`select "twoFactorEnabled" from public."user"`)),
      ),
    ).toBe("42501");
    expect(
      await outcome(
        withRls(person.id, (tx) =>
          tx.execute(
            sql`update public."user" set "twoFactorEnabled" = false where id = ${person.id}`,
          ),
        ),
      ),
    ).toBe("42501");
  });

  it("tells the person and site admins whether it is on, and nobody else", async () => {
    const { person } = await enrol("Cato");
    const stranger = await signUp("Dara");
    const admin = await signUp("Root", { role: "admin" });
    const ask = async (who: string) => {
      const [row] = await withRls(who, (tx) =>
        queryRows<{ on: boolean | null }>(
          tx,
          sql`select public.user_two_factor_enabled(${person.id}) as on`,
        ),
      );
      return row?.on ?? null;
    };
    expect(await ask(person.id)).toBe(true);
    expect(await ask(admin.id)).toBe(true);
    expect(await ask(stranger.id)).toBeNull();
  });

  it("lets only a site admin reset someone else's second factor, trusted devices included", async () => {
    const { person, secret } = await enrol("Enzo");
    const trusted = new AuthBrowser();
    await trusted.post("/sign-in/email", { email: person.email, password: TEST_PASSWORD });
    await trusted.post("/two-factor/verify-totp", {
      code: await codeFor(secret),
      trustDevice: true,
    });
    const admin = await signUp("Root", { role: "admin" });
    const reset = (who: string, target: string) =>
      withRls(who, (tx) => tx.execute(sql`select public.admin_reset_two_factor(${target})`));

    expect(await outcome(reset(person.id, person.id))).toBe("42501");
    expect(await outcome(reset((await signUp("Faye")).id, person.id))).toBe("42501");
    expect(await outcome(reset(admin.id, admin.id))).toBe("42501");
    expect(await twoFactorEnabled(person.id)).toBe(true);

    expect(await outcome(reset(admin.id, person.id))).toBe("ok");
    expect(await twoFactorEnabled(person.id)).toBe(false);
    expect(await db().select().from(twoFactor).where(eq(twoFactor.userId, person.id))).toEqual([]);
    const devices = await db()
      .select()
      .from(verification)
      .where(
        and(eq(verification.value, person.id), like(verification.identifier, "trust-device-%")),
      );
    expect(devices).toEqual([]);
  });
});

describe("audit of two-factor actions", () => {
  it("records enrolment, a sign-in's second step and turning it off, never a code", async () => {
    const { person, secret, backupCodes } = await enrol("Gus");
    const browser = new AuthBrowser();
    await browser.post("/sign-in/email", { email: person.email, password: TEST_PASSWORD });
    await browser.post("/two-factor/verify-totp", { code: await codeFor(secret) });
    await browser.post("/two-factor/disable", { password: TEST_PASSWORD });
    await createAuditFlusher(db()).flush();
    const rows = await db().select().from(apiAuditLogs).where(eq(apiAuditLogs.userId, person.id));
    const actions = rows
      .filter((row) => row.endpoint.startsWith("/api/auth/two-factor/"))
      .map((row) => [row.endpoint, row.statusCode, row.actorId]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ["/api/auth/two-factor/enable", 200, person.id],
        ["/api/auth/two-factor/verify-totp", 200, person.id],
        ["/api/auth/two-factor/disable", 200, person.id],
      ]),
    );
    expect(
      actions.filter(([endpoint]) => endpoint === "/api/auth/two-factor/verify-totp"),
    ).toHaveLength(2);
    const text = JSON.stringify(rows);
    for (const code of backupCodes) expect(text).not.toContain(code);
    expect(text).not.toContain(TEST_PASSWORD);
  });
});

describe("notices of two-factor changes", () => {
  const subjectsTo = async (email: string) =>
    (await listDevMail())
      .filter((mail) => mail.to === email && mail.subject.startsWith("Parley: "))
      .map((mail) => mail.subject)
      .sort();

  it("mails the owner when it is turned on, given new codes or turned off, not on a sign-in", async () => {
    const { person, browser, secret } = await enrol("Hedy");
    const signingIn = new AuthBrowser();
    await signingIn.post("/sign-in/email", { email: person.email, password: TEST_PASSWORD });
    await signingIn.post("/two-factor/verify-totp", { code: await codeFor(secret) });
    expect(await subjectsTo(person.email)).toEqual(["Parley: Two-factor authentication is on"]);

    await browser.post("/two-factor/generate-backup-codes", { password: TEST_PASSWORD });
    await browser.post("/two-factor/disable", { password: "wrong password here" });
    await browser.post("/two-factor/disable", { password: TEST_PASSWORD });
    expect(await subjectsTo(person.email)).toEqual([
      "Parley: New backup codes were made",
      "Parley: Two-factor authentication is off",
      "Parley: Two-factor authentication is on",
    ]);
  });

  it("mails the owner when an admin resets it", async () => {
    const { person } = await enrol("Ivo");
    const admin = await signUp("Root", { role: "admin" });
    const caller = await callerFor(admin);
    const stop = startSecurityNotices();
    await caller.admin.users.resetTwoFactor({ userId: person.id }).finally(stop);
    await vi.waitFor(async () =>
      expect(await subjectsTo(person.email)).toContain(
        "Parley: An admin reset your two-factor authentication",
      ),
    );
  });
});
