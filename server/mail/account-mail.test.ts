import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getAuth } from "@/server/auth";
import { env } from "@/server/env";
import { useTestDatabase } from "@/test/database";
import { signUp, TEST_PASSWORD } from "@/test/users";
import { findDevMail, listDevMail } from "./dev-mailbox";

const database = useTestDatabase();

async function latestMailTo(email: string) {
  const summary = (await listDevMail()).find((m) => m.to === email);
  return summary ? findDevMail(summary.id) : null;
}

function linkIn(text: string): URL {
  const match = /https?:\/\/\S+/.exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  return new URL(match[0]);
}

async function signIn(email: string, password: string) {
  return getAuth().api.signInEmail({ body: { email, password }, asResponse: true });
}

describe("account mail through Better Auth", () => {
  it("sends a verification mail on sign-up, without requiring it to sign in", async () => {
    const frank = await signUp("Frank");
    const mail = await latestMailTo(frank.email);
    expect(mail?.subject).toBe("Confirm your email address for Parley");
    const link = linkIn(mail?.text ?? "");
    expect(link.origin + link.pathname).toBe(`${env.appUrl}/verify-email`);
    expect((await signIn(frank.email, TEST_PASSWORD)).status).toBe(200);

    const token = link.searchParams.get("token") ?? "";
    await getAuth().api.verifyEmail({ query: { token } });
    const session = await getAuth().api.getSession({ headers: frank.headers });
    expect(session?.user.emailVerified).toBe(true);
  });

  it("mails a reset link only to an existing account, with the same answer either way", async () => {
    const grace = await signUp("Grace");
    const known = await getAuth().api.requestPasswordReset({ body: { email: grace.email } });
    const unknown = await getAuth().api.requestPasswordReset({
      body: { email: "nobody-here@example.test" },
    });
    expect(unknown).toEqual(known);
    expect(await latestMailTo("nobody-here@example.test")).toBeNull();

    const mail = await latestMailTo(grace.email);
    expect(mail?.subject).toBe("Reset your Parley password");
    const link = linkIn(mail?.text ?? "");
    expect(link.href.startsWith(`${env.appUrl}/api/auth/reset-password/`)).toBe(true);
    expect(link.searchParams.get("callbackURL")).toBe("/reset-password");
  });

  it("resets the password once per link and ends every session", async () => {
    const heidi = await signUp("Heidi");
    await getAuth().api.requestPasswordReset({ body: { email: heidi.email } });
    const link = linkIn((await latestMailTo(heidi.email))?.text ?? "");
    const token = link.pathname.split("/").pop() ?? "";

    await getAuth().api.resetPassword({ body: { token, newPassword: "a brand new secret" } });
    expect(await getAuth().api.getSession({ headers: heidi.headers })).toBeNull();
    expect((await signIn(heidi.email, TEST_PASSWORD)).status).toBe(401);
    expect((await signIn(heidi.email, "a brand new secret")).status).toBe(200);

    const again = getAuth().api.resetPassword({ body: { token, newPassword: "another one!" } });
    await expect(again).rejects.toMatchObject({ body: { code: "INVALID_TOKEN" } });
  });

  it("answers as usual when the mail cannot be delivered", async () => {
    const ivan = await signUp("Ivan");
    const db = database.handle.db;
    await db.execute(sql`alter table dev_mailbox rename to dev_mailbox_away`);
    try {
      const answer = await getAuth().api.requestPasswordReset({ body: { email: ivan.email } });
      expect(answer).toMatchObject({ status: true });
      const signUpResponse = await getAuth().api.signUpEmail({
        body: { name: "Judy", email: "judy-mailless@example.test", password: TEST_PASSWORD },
        asResponse: true,
      });
      expect(signUpResponse.status).toBe(200);
    } finally {
      await db.execute(sql`alter table dev_mailbox_away rename to dev_mailbox`);
    }
  });
});
