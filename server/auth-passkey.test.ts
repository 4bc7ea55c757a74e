import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withRls } from "@/db/rls";
import { apiAuditLogs, passkey, session, user } from "@/db/schema";
import { PASSKEY_NAME_TOO_LONG } from "@/contracts/passkeys";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { listDevMail } from "@/server/mail/dev-mailbox";
import { AuthBrowser } from "@/test/auth-browser";
import { useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { actorOf, signUp, type TestUser } from "@/test/users";
import {
  SoftwareAuthenticator,
  type AuthenticationOptionsLike,
  type RegistrationOptionsLike,
} from "@/test/webauthn-authenticator";
import { env } from "./env";

const database = useTestDatabase();

/** Passkey rows written straight to the table, as many as a test needs. */
async function insertPasskeys(owner: TestUser, count: number, name = "Stored key") {
  if (count === 0) return [];
  return database.handle.db
    .insert(passkey)
    .values(
      Array.from({ length: count }, (_, i) => ({
        userId: owner.id,
        name: `${name} ${i + 1}`,
        publicKey: randomBytes(65).toString("base64"),
        credentialID: randomBytes(16).toString("base64url"),
        deviceType: "singleDevice",
        backedUp: false,
      })),
    )
    .returning();
}

function passkeysOf(owner: TestUser) {
  return database.handle.db.select().from(passkey).where(eq(passkey.userId, owner.id));
}

async function startRegistration(browser: AuthBrowser): Promise<RegistrationOptionsLike> {
  const response = await browser.get("/passkey/generate-register-options");
  expect(response.status).toBe(200);
  return (await response.json()) as RegistrationOptionsLike;
}

/** Registers a fresh software passkey for the browser's person. */
async function register(browser: AuthBrowser, name: string) {
  const authenticator = new SoftwareAuthenticator(new URL(env.appUrl).origin);
  const options = await startRegistration(browser);
  const response = await browser.post("/passkey/verify-registration", {
    response: authenticator.register(options),
    name,
  });
  expect(response.status).toBe(200);
  const stored = (await response.json()) as { id: string; name: string };
  return { authenticator, stored };
}

describe("passkey limits", () => {
  it("refuses a passkey beyond PASSKEYS_PER_USER, when the ceremony starts and when it ends", async () => {
    const alice = await signUp("Alice");
    const browser = new AuthBrowser(alice);
    await insertPasskeys(alice, env.PASSKEYS_PER_USER - 1);

    // One below the limit, a ceremony starts; the last passkey arrives meanwhile.
    const options = await startRegistration(browser);
    await insertPasskeys(alice, 1, "Meanwhile");
    const late = await browser.post("/passkey/verify-registration", {
      response: new SoftwareAuthenticator(new URL(env.appUrl).origin).register(options),
      name: "One too many",
    });
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({
      message: expect.stringContaining(`${env.PASSKEYS_PER_USER} passkeys`) as string,
    });

    const refused = await browser.get("/passkey/generate-register-options");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      message: expect.stringContaining("Remove one to add another") as string,
    });
    expect(await passkeysOf(alice)).toHaveLength(env.PASSKEYS_PER_USER);
  });

  it("refuses a name longer than 60 characters before Better Auth writes anything", async () => {
    const bob = await signUp("Bob");
    const browser = new AuthBrowser(bob);
    const authenticator = new SoftwareAuthenticator(new URL(env.appUrl).origin);
    const options = await startRegistration(browser);
    const answer = authenticator.register(options);

    const tooLong = await browser.post("/passkey/verify-registration", {
      response: answer,
      name: ` ${"k".repeat(61)} `,
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ message: PASSKEY_NAME_TOO_LONG });
    expect(await passkeysOf(bob)).toEqual([]);

    // Trimmed, 60 characters fit; the ceremony the refusal left alone still completes.
    const fits = await browser.post("/passkey/verify-registration", {
      response: answer,
      name: ` ${"k".repeat(60)} `,
    });
    expect(fits.status).toBe(200);
    const [stored] = await passkeysOf(bob);
    expect(stored?.name).toBe("k".repeat(60));

    const rename = await browser.post("/passkey/update-passkey", {
      id: stored?.id,
      name: "r".repeat(61),
    });
    expect(rename.status).toBe(400);
    expect(await rename.json()).toMatchObject({ message: PASSKEY_NAME_TOO_LONG });
    expect((await passkeysOf(bob))[0]?.name).toBe("k".repeat(60));

    const early = await browser.get(`/passkey/generate-register-options?name=${"q".repeat(61)}`);
    expect(early.status).toBe(400);

    await createAuditFlusher(database.handle.db).flush();
    const refusals = await database.handle.db
      .select()
      .from(apiAuditLogs)
      .where(and(eq(apiAuditLogs.userId, bob.id), eq(apiAuditLogs.statusCode, 400)));
    expect(refusals.map((r) => [r.endpoint, r.actorId, r.details])).toEqual(
      expect.arrayContaining([
        [
          "/api/auth/passkey/verify-registration",
          bob.id,
          expect.objectContaining({ refused: PASSKEY_NAME_TOO_LONG }),
        ],
        [
          "/api/auth/passkey/update-passkey",
          bob.id,
          expect.objectContaining({ refused: PASSKEY_NAME_TOO_LONG }),
        ],
      ]),
    );
  });
});

describe("passkeys are their owner's", () => {
  it("lists only one's own, and nobody renames or removes another person's", async () => {
    const carol = await signUp("Carol");
    const dave = await signUp("Dave");
    const [carols] = await insertPasskeys(carol, 1, "Carol's laptop");
    await insertPasskeys(dave, 2, "Dave's phone");

    const listed = await new AuthBrowser(carol).get("/passkey/list-user-passkeys");
    expect(listed.status).toBe(200);
    const rows = (await listed.json()) as { id: string; userId: string }[];
    expect(rows.map((r) => r.id)).toEqual([carols?.id]);

    const daveBrowser = new AuthBrowser(dave);
    const rename = await daveBrowser.post("/passkey/update-passkey", {
      id: carols?.id,
      name: "Mine now",
    });
    expect(rename.status).toBeGreaterThanOrEqual(400);
    expect(rename.status).toBeLessThan(500);
    const remove = await daveBrowser.post("/passkey/delete-passkey", { id: carols?.id });
    expect(remove.status).toBeGreaterThanOrEqual(400);
    expect(remove.status).toBeLessThan(500);
    expect(await passkeysOf(carol)).toEqual([carols]);
  });

  it("is closed to request roles: a signed-in person's query cannot read the table", async () => {
    const erin = await signUp("Erin");
    await insertPasskeys(erin, 1);
    const read = withRls(actorOf(erin), (tx) => tx.select().from(passkey));
    expect(await outcome(read)).toBe("42501");
    const anonymous = withRls(null, (tx) => tx.select().from(passkey));
    expect(await outcome(anonymous)).toBe("42501");
  });
});

describe("a passkey ceremony against the real plugin", () => {
  it("registers a passkey, then signs in with it: a new session, and both audited", async () => {
    const frank = await signUp("Frank");
    const { authenticator, stored } = await register(new AuthBrowser(frank), "Frank's laptop");
    expect(stored.name).toBe("Frank's laptop");

    const listed = await new AuthBrowser(frank).get("/passkey/list-user-passkeys");
    const [row] = (await listed.json()) as {
      name: string;
      deviceType: string;
      backedUp: boolean;
      aaguid: string;
    }[];
    expect(row).toMatchObject({ name: "Frank's laptop", deviceType: "singleDevice" });

    const sessionsBefore = await database.handle.db
      .select()
      .from(session)
      .where(eq(session.userId, frank.id));

    // A browser with no session at all: the passkey is what signs it in.
    const stranger = new AuthBrowser();
    const started = await stranger.get("/passkey/generate-authenticate-options");
    expect(started.status).toBe(200);
    const options = (await started.json()) as AuthenticationOptionsLike;
    const signIn = await stranger.post("/passkey/verify-authentication", {
      response: authenticator.authenticate(options),
    });
    expect(signIn.status).toBe(200);
    expect(await signIn.json()).toMatchObject({ user: { id: frank.id } });

    const me = await stranger.get("/get-session");
    expect(await me.json()).toMatchObject({ user: { id: frank.id } });
    const sessionsAfter = await database.handle.db
      .select()
      .from(session)
      .where(eq(session.userId, frank.id));
    expect(sessionsAfter).toHaveLength(sessionsBefore.length + 1);
    const [counted] = await passkeysOf(frank);
    expect(counted?.counter).toBe(1);

    // A replayed answer (its challenge is spent) signs nobody in.
    const replay = await stranger.post("/passkey/verify-authentication", {
      response: authenticator.authenticate(options),
    });
    expect(replay.status).toBe(400);

    await createAuditFlusher(database.handle.db).flush();
    const audited = await database.handle.db
      .select()
      .from(apiAuditLogs)
      .where(and(eq(apiAuditLogs.userId, frank.id), eq(apiAuditLogs.method, "AUTH")));
    expect(audited).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actorId: frank.id,
          endpoint: "/api/auth/passkey/verify-registration",
          statusCode: 200,
        }),
        expect.objectContaining({
          actorId: frank.id,
          endpoint: "/api/auth/passkey/verify-authentication",
          statusCode: 200,
        }),
      ]),
    );
    // The replay fails before anyone is signed in, so its row names nobody.
    const failed = await database.handle.db
      .select()
      .from(apiAuditLogs)
      .where(
        and(
          eq(apiAuditLogs.endpoint, "/api/auth/passkey/verify-authentication"),
          eq(apiAuditLogs.statusCode, 400),
        ),
      );
    expect(failed).toEqual([expect.objectContaining({ userId: null, actorId: null })]);
  });

  it("signs nobody in with a passkey that did not verify the person (PIN or biometrics)", async () => {
    const iris = await signUp("Iris");
    const { authenticator } = await register(new AuthBrowser(iris), "Iris's key");
    const stranger = new AuthBrowser();
    const started = await stranger.get("/passkey/generate-authenticate-options");
    const options = (await started.json()) as AuthenticationOptionsLike;
    const refused = await stranger.post("/passkey/verify-authentication", {
      response: authenticator.authenticate(options, { userVerified: false }),
    });
    expect(refused.status).toBe(400);
    const { message } = (await refused.json()) as { message: string };
    expect(message).toMatch(/PIN/);
    expect(await (await stranger.get("/get-session")).json()).toBeNull();
  });

  it("signs in no suspended person", async () => {
    const hank = await signUp("Hank");
    const { authenticator } = await register(new AuthBrowser(hank), "Hank's key");
    await database.handle.db
      .update(user)
      .set({ banned: true, banReason: "spam" })
      .where(eq(user.id, hank.id));
    const stranger = new AuthBrowser();
    const started = await stranger.get("/passkey/generate-authenticate-options");
    const refused = await stranger.post("/passkey/verify-authentication", {
      response: authenticator.authenticate((await started.json()) as AuthenticationOptionsLike),
    });
    expect(refused.status).toBe(403);
    expect(await (await stranger.get("/get-session")).json()).toBeNull();
  });

  it("names the credential's account by the email address, not by the passkey's label", async () => {
    const kim = await signUp("Kim");
    const response = await new AuthBrowser(kim).get(
      "/passkey/generate-register-options?name=Work%20laptop",
    );
    const options = (await response.json()) as { user: { name: string; displayName: string } };
    expect(options.user).toMatchObject({ name: kim.email, displayName: kim.email });
  });

  it("renames and removes one's own passkey", async () => {
    const gina = await signUp("Gina");
    const browser = new AuthBrowser(gina);
    const { stored } = await register(browser, "Old name");
    const rename = await browser.post("/passkey/update-passkey", {
      id: stored.id,
      name: "  New name  ",
    });
    expect(rename.status).toBe(200);
    expect((await passkeysOf(gina))[0]?.name).toBe("New name");
    const remove = await browser.post("/passkey/delete-passkey", { id: stored.id });
    expect(remove.status).toBe(200);
    expect(await passkeysOf(gina)).toEqual([]);

    // The owner hears of both, in case it was not them.
    const notices = (await listDevMail())
      .filter((mail) => mail.to === gina.email && mail.subject.startsWith("Parley: "))
      .map((mail) => mail.subject)
      .sort();
    expect(notices).toEqual(["Parley: A passkey was added", "Parley: A passkey was removed"]);
  });
});
