import "server-only";

import { APIError, getSessionFromCtx, isAPIError } from "better-auth/api";
import type { AuthCallContext } from "./auth-call";

const VERIFY_TOTP = "/two-factor/verify-totp";
/** The plugin's cookie naming the sign-in a second factor is being asked for. */
const CHALLENGE_COOKIE = "two_factor";
/**
 * A code is accepted in its own 30-second step and the steps on either side (clock drift):
 * once used, it is remembered for longer than that, so it never works twice.
 */
const REMEMBER_USED_MS = 120_000;

const usedCodeKey = (userId: string, code: string) => `totp-used-${userId}-${code}`;

function codeOf(ctx: AuthCallContext): string | null {
  const code = (ctx.body as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code.trim() : null;
}

/** Whose code this is: the signed-in person (enrolment), or the sign-in being finished. */
async function verifyingUser(ctx: AuthCallContext): Promise<string | null> {
  const session = await getSessionFromCtx(ctx).catch(() => null);
  if (session) return session.user.id;
  const cookie = ctx.context.createAuthCookie(CHALLENGE_COOKIE);
  const challenge = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
  if (!challenge) return null;
  const found = await ctx.context.internalAdapter.findVerificationValue(challenge);
  return found && found.expiresAt > new Date() ? found.value : null;
}

/**
 * Refuses an authenticator code that already signed this person in or confirmed their
 * enrolment (RFC 6238 §5.2): a code seen over someone's shoulder, or caught on its way, is
 * spent once it has been used. The plugin alone accepts a code again while it is current.
 */
export async function checkTotpReplay(ctx: AuthCallContext): Promise<void> {
  if (ctx.path !== VERIFY_TOTP) return;
  const code = codeOf(ctx);
  if (!code) return;
  const userId = await verifyingUser(ctx);
  if (!userId) return; // The plugin answers a missing or expired challenge.
  const used = await ctx.context.internalAdapter.findVerificationValue(usedCodeKey(userId, code));
  if (used && used.expiresAt > new Date()) {
    throw APIError.fromStatus("UNAUTHORIZED", {
      code: "INVALID_CODE",
      message: "That code was used already. Wait for the next one in your app.",
    });
  }
}

/** After a code was accepted: remembers it as spent (see checkTotpReplay). */
export async function rememberUsedTotp(ctx: AuthCallContext): Promise<void> {
  if (ctx.path !== VERIFY_TOTP || isAPIError(ctx.context.returned)) return;
  const code = codeOf(ctx);
  const userId = ctx.context.newSession?.user.id ?? ctx.context.session?.user.id;
  if (!code || !userId) return;
  await ctx.context.internalAdapter.createVerificationValue({
    identifier: usedCodeKey(userId, code),
    value: userId,
    expiresAt: new Date(Date.now() + REMEMBER_USED_MS),
  });
}
