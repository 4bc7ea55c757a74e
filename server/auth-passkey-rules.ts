import "server-only";

import { APIError, getSessionFromCtx } from "better-auth/api";
import { PASSKEY_NAME_MAX_LENGTH, PASSKEY_NAME_TOO_LONG } from "@/contracts/passkeys";
import { recordAuthAction } from "./auth-audit";
import type { AuthCallContext } from "./auth-call";
import { env } from "./env";

const REGISTRATION_PATHS = new Set([
  "/passkey/generate-register-options",
  "/passkey/verify-registration",
]);

/** The refusals recorded like the action would have been (see auth-audit.ts). */
const AUDITED_REFUSALS = new Set(["/passkey/verify-registration", "/passkey/update-passkey"]);

type Session = Awaited<ReturnType<typeof getSessionFromCtx>>;

/** What a before-hook may change in the call it lets through (Better Auth merges it). */
export interface QueryChange {
  context: { query: Record<string, unknown> };
}

function tooLong(name: unknown): boolean {
  // Better Auth's own schema answers a name that is not text; only the length is Parley's.
  return typeof name === "string" && name.trim().length > PASSKEY_NAME_MAX_LENGTH;
}

function refuse(ctx: AuthCallContext, session: Session, message: string): never {
  if (AUDITED_REFUSALS.has(ctx.path)) {
    const actor = session ? { user: { id: session.user.id }, session: {} } : null;
    recordAuthAction(
      { path: ctx.path, body: ctx.body, headers: ctx.headers, context: { session: actor } },
      400,
      { refused: message },
    );
  }
  throw APIError.fromStatus("BAD_REQUEST", { message });
}

/** The authenticator data's flag for "the authenticator checked who is there" (WebAuthn §6.1). */
const USER_VERIFIED = 0x04;
const FLAGS_OFFSET = 32;

/**
 * A passkey signs in alone, skipping the password and any second factor, so it must be two
 * factors itself: the device (possession) and its PIN, fingerprint or face (user
 * verification). The plugin verifies signatures without requiring the latter; Parley refuses
 * an assertion whose authenticator did not verify the person.
 */
function checkUserVerified(body: unknown): void {
  const encoded = (body as { response?: { response?: { authenticatorData?: unknown } } })?.response
    ?.response?.authenticatorData;
  // A malformed assertion is the plugin's to refuse; only the flag is Parley's.
  if (typeof encoded !== "string") return;
  const data = Buffer.from(encoded, "base64url");
  if (data.length > FLAGS_OFFSET && (data[FLAGS_OFFSET]! & USER_VERIFIED) === 0) {
    throw APIError.fromStatus("BAD_REQUEST", {
      message:
        "This passkey did not check that it is you (with a PIN, fingerprint or face). Use one that does, or sign in with your password.",
    });
  }
}

/**
 * Parley's rules for the passkey plugin, checked before Better Auth runs it: a passkey's
 * name fits the column's constraint (so a person reads a sentence, not a database error),
 * and one person has at most `PASSKEYS_PER_USER` passkeys. The limit is checked when the
 * ceremony starts, so nobody is asked to touch their authenticator for nothing, and again
 * when it ends, since several ceremonies may have started at once.
 */
export async function checkPasskeyCall(ctx: AuthCallContext): Promise<QueryChange | undefined> {
  if (ctx.path === "/passkey/verify-authentication") {
    checkUserVerified(ctx.body);
    return;
  }
  const registering = REGISTRATION_PATHS.has(ctx.path);
  if (!registering && ctx.path !== "/passkey/update-passkey") return;
  const session = await getSessionFromCtx(ctx);
  // The add-passkey client sends the name with the options too, before the authenticator
  // is asked; the name kept is the one sent with the registration.
  const name =
    ctx.path === "/passkey/generate-register-options"
      ? (ctx.query as { name?: unknown } | undefined)?.name
      : (ctx.body as { name?: unknown } | undefined)?.name;
  if (tooLong(name)) {
    refuse(ctx, session, PASSKEY_NAME_TOO_LONG);
  }
  // Without a session Better Auth itself refuses registration.
  if (!registering || !session) return;
  const count = await ctx.context.adapter.count({
    model: "passkey",
    where: [{ field: "userId", value: session.user.id }],
  });
  if (count >= env.PASSKEYS_PER_USER) {
    refuse(
      ctx,
      session,
      `You already have ${env.PASSKEYS_PER_USER} passkeys, the most one account may have. Remove one to add another.`,
    );
  }
  if (ctx.path !== "/passkey/generate-register-options") return undefined;
  // The plugin makes the credential's account name (what a password manager lists the
  // passkey under) from `name`; the passkey's own label is sent again with the registration.
  // The account is known by its email address, as a password is.
  return { context: { query: { ...(ctx.query as object | undefined), name: session.user.email } } };
}
