import "server-only";

import { decodeJwt, jwtVerify } from "jose";
import { APIError, getSessionFromCtx } from "better-auth/api";
import { changeEmailInput } from "@/contracts/auth";
import { recordAuthAction } from "./auth-audit";
import type { AuthCallContext } from "./auth-call";
import { deliverAccountMail } from "./mail";
import { emailChangeRequestedMail, emailInUseMail } from "./mail/templates";

/** Better Auth's `requestType` for the link, sent to the new address, that applies a change. */
const CHANGE_REQUEST_TYPE = "change-email-verification";

interface EmailChangeToken {
  userId: string;
  /** The address the account had when the change was asked for. */
  email: string;
  updateTo: string;
  /** Seconds since the epoch. */
  issuedAt: number;
}

function asEmailChange(payload: Record<string, unknown>): EmailChangeToken | null {
  const { userId, email, updateTo, requestType, iat } = payload;
  if (requestType !== CHANGE_REQUEST_TYPE) return null;
  if (typeof userId !== "string" || typeof email !== "string" || typeof updateTo !== "string") {
    return null;
  }
  return { userId, email, updateTo, issuedAt: typeof iat === "number" ? iat : 0 };
}

function refuse(ctx: AuthCallContext, message: string, code?: string): never {
  recordAuthAction(ctx, 400, { refused: message });
  throw APIError.fromStatus("BAD_REQUEST", code ? { message, code } : { message });
}

/**
 * Asking to move one's account to another address (Better Auth's `/change-email`, which
 * mails the new address a link and changes nothing until it is opened). Parley asks for the
 * current password first, so a session left open on a shared computer is not enough to take
 * the account over, and tells the current address at once.
 *
 * An address that already has an account gets the same answer as a free one: the form
 * cannot be used to test which addresses have accounts. That address is mailed to say so
 * (Better Auth sends it no link), so a person who asked for it hears why nothing came.
 */
async function checkChangeRequest(ctx: AuthCallContext): Promise<void> {
  const session = await getSessionFromCtx(ctx);
  if (!session) return; // Better Auth answers 401.
  const body = (ctx.body ?? {}) as { newEmail?: unknown; password?: unknown };
  const input = changeEmailInput.safeParse({
    newEmail: typeof body.newEmail === "string" ? body.newEmail : "",
    password: typeof body.password === "string" ? body.password : "",
  });
  if (!input.success) refuse(ctx, input.error.issues[0]?.message ?? "Enter a valid email address");
  // Better Auth reads the address as sent: one it would refuse must not be announced.
  if (input.data.newEmail !== body.newEmail) refuse(ctx, "Enter a valid email address");
  const newEmail = input.data.newEmail.toLowerCase();
  const current = session.user.email.toLowerCase();
  if (newEmail === current) refuse(ctx, "That is already your email address");

  const credential = await ctx.context.internalAdapter.findCredentialAccount(session.user.id);
  const rightPassword =
    !!credential?.password &&
    (await ctx.context.password.verify({
      hash: credential.password,
      password: input.data.password,
    }));
  if (!rightPassword) refuse(ctx, "Your current password is not right", "INVALID_PASSWORD");

  const origin = new URL(ctx.context.baseURL).origin;
  await deliverAccountMail(
    "email-change-requested",
    emailChangeRequestedMail({
      to: session.user.email,
      name: session.user.name,
      newEmail,
      url: new URL("/settings/security", origin).href,
    }),
  );
  if (await ctx.context.internalAdapter.findUserByEmail(newEmail)) {
    await deliverAccountMail(
      "email-in-use",
      emailInUseMail({ to: newEmail, url: new URL("/sign-in", origin).href }),
    );
  }
}

/**
 * Opening the link that applies a change. A password change since the link was sent
 * cancels it: the notice to the old address tells its owner to do exactly that when the
 * change was not theirs. An address taken by another account since is refused in words
 * (the database's unique address would otherwise make it a 500).
 */
async function checkChangeLink(ctx: AuthCallContext): Promise<void> {
  const token = (ctx.query as { token?: unknown } | undefined)?.token;
  if (typeof token !== "string") return;
  let change: EmailChangeToken | null;
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(ctx.context.secret), {
      algorithms: ["HS256"],
    });
    change = asEmailChange(payload);
  } catch {
    return; // Better Auth answers for a forged or expired link.
  }
  if (!change) return;

  const refuseLink = (message: string): never => {
    const call = {
      path: ctx.path,
      headers: ctx.headers,
      context: { session: { user: { id: change.userId }, session: {} } },
    };
    recordAuthAction(call, 400, { emailChange: "refused", refused: message });
    throw APIError.fromStatus("BAD_REQUEST", { message, code: "INVALID_TOKEN" });
  };

  const credential = await ctx.context.internalAdapter.findCredentialAccount(change.userId);
  // Only a password change updates the credential row once it exists. `iat` has whole
  // seconds, so a change in the second the link was made does not count, and neither does
  // an account made that second (the row's times may come from the database's clock).
  const updated = credential?.updatedAt.getTime() ?? 0;
  const created = credential?.createdAt.getTime() ?? 0;
  if (updated - created >= 1000 && updated >= (change.issuedAt + 1) * 1000) {
    refuseLink("The password was changed after this link was sent, which cancels it");
  }
  const holder = await ctx.context.internalAdapter.findUserByEmail(change.updateTo);
  if (holder && holder.user.id !== change.userId) {
    refuseLink("This address now belongs to another Parley account");
  }
}

/** Parley's rules for changing one's email address, before Better Auth runs its endpoints. */
export async function checkEmailChange(ctx: AuthCallContext): Promise<void> {
  if (ctx.path === "/change-email") await checkChangeRequest(ctx);
  else if (ctx.path === "/verify-email") await checkChangeLink(ctx);
}

/**
 * Whether a verification token Better Auth just made is the link that applies an email
 * change, so the mail says so. Read without checking the signature: it only picks words.
 */
export function isEmailChangeToken(token: string): boolean {
  try {
    return asEmailChange(decodeJwt(token)) !== null;
  } catch {
    return false;
  }
}
