import "server-only";

import { isAPIError } from "better-auth/api";
import type { AuthCallContext } from "./auth-call";
import { env } from "./env";
import { logger } from "./logger";
import { deliverAccountMail } from "./mail";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { user } from "@/db/schema";
import { onSecurityNotice } from "./accounts/security-notice-queue";
import { securityNoticeMail, type SignInChange } from "./mail/security-notice-mail";
import { sendDeletionScheduledNotice } from "./accounts/deletion/notices";

interface Recipient {
  email: string;
  name: string;
}

/** Mails the owner of an account that its sign-in changed; a mail outage is logged, not raised. */
export async function sendSecurityNotice(to: Recipient, change: SignInChange): Promise<void> {
  await deliverAccountMail(
    `security-notice:${change}`,
    securityNoticeMail({
      to: to.email,
      name: to.name,
      change,
      settingsUrl: new URL("/settings/security", `${env.appUrl}/`).href,
    }),
  );
}

interface NoticeCall {
  path: string;
  context: {
    returned?: unknown;
    session?: { user: Recipient } | null;
    newSession?: { user: Recipient } | null;
  };
  /** Whether the request came signed in (a session cookie), as opposed to mid-sign-in. */
  signedIn: boolean;
}

/**
 * What a successful Better Auth call changed about signing in, if anything. A code checked
 * while signed in finishes turning two-factor on; a code checked mid-sign-in changes nothing.
 */
export function securityChangeOf(call: NoticeCall): SignInChange | null {
  if (isAPIError(call.context.returned)) return null;
  switch (call.path) {
    case "/two-factor/verify-totp":
      // Enrolment's check turns two-factor on and renews the session; a repeat check does not.
      return call.signedIn && call.context.newSession ? "two_factor_on" : null;
    case "/two-factor/disable":
      return "two_factor_off";
    case "/two-factor/generate-backup-codes":
      return "backup_codes";
    case "/passkey/verify-registration":
      return "passkey_added";
    case "/passkey/delete-passkey":
      return "passkey_removed";
    default:
      return null;
  }
}

/** Who the account is: the session the call ran in, or the one it made. */
export function recipientOf(call: NoticeCall): Recipient | null {
  return call.context.session?.user ?? call.context.newSession?.user ?? null;
}

/** Mails the owner when a successful call changed how their account signs in. */
export async function noticeSecurityChange(ctx: AuthCallContext): Promise<void> {
  if (!NOTICE_PATHS.has(ctx.path)) return;
  const sessionCookie = ctx.context.authCookies.sessionToken.name;
  const call: NoticeCall = {
    path: ctx.path,
    context: {
      returned: ctx.context.returned,
      session: ctx.context.session,
      newSession: ctx.context.newSession,
    },
    signedIn: Boolean(await ctx.getSignedCookie(sessionCookie, ctx.context.secret)),
  };
  const change = securityChangeOf(call);
  const to = change ? recipientOf(call) : null;
  if (change && to) await sendSecurityNotice(to, change);
}

const NOTICE_PATHS = new Set([
  "/two-factor/verify-totp",
  "/two-factor/disable",
  "/two-factor/generate-backup-codes",
  "/passkey/verify-registration",
  "/passkey/delete-passkey",
]);

/**
 * Sends the notices request code queued (see accounts/security-notice-queue.ts), reading the
 * owner's address with the owner connection. Started with the server; returns the stop.
 */
export function startSecurityNotices(): () => void {
  return onSecurityNotice(({ userId, change }) => {
    void (async () => {
      if (change === "account_deletion_scheduled") {
        await sendDeletionScheduledNotice(getDb(), userId);
        return;
      }
      const [owner] = await getDb()
        .select({ email: user.email, name: user.name })
        .from(user)
        .where(eq(user.id, userId));
      if (owner) await sendSecurityNotice(owner, change);
    })().catch((err: unknown) => logger.error({ err, change }, "security notice failed"));
  });
}
