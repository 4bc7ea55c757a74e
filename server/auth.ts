import "server-only";

import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { passkey as passkeys } from "@better-auth/passkey";
import { admin, organization, twoFactor as twoFactors } from "better-auth/plugins";
import { getDb, type Database } from "@/db/client";
import {
  account,
  invitation,
  member,
  organization as workspace,
  organizationRole,
  passkey,
  session,
  twoFactor,
  user,
  verification,
} from "@/db/schema";
import { accountDeletion } from "./accounts/deletion/auth-plugin";
import { cancelDeletionOnSignIn } from "./accounts/deletion/notices";
import { isEmailChangeToken } from "./auth-email-change-rules";
import { guardAuthCalls } from "./auth-rules";
import { sessionAddress } from "./auth-session-address";
import { afterAuthCalls } from "./auth-after";
import { resolveAuthSecret } from "./auth-secret";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/contracts/auth";
import { env } from "./env";
import { deliverAccountMail } from "./mail";
import { workspaceAccess, workspaceRoles } from "@/lib/workspaces/roles";
import {
  changeEmailVerificationMail,
  resetPasswordMail,
  verifyEmailMail,
  workspaceInvitationMail,
} from "./mail/templates";

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/** A reset link works for 30 minutes; a verification link for a day. */
const RESET_PASSWORD_TTL_SECONDS = 30 * 60;
const VERIFY_EMAIL_TTL_SECONDS = 24 * 60 * 60;

export function bannedMessage(u: { banReason?: string | null; banExpires?: Date | null }): string {
  const reason = u.banReason?.trim() ? u.banReason.trim() : "no reason was given";
  const until = u.banExpires ? ` until ${new Date(u.banExpires).toISOString().slice(0, 10)}` : "";
  return `Your account has been suspended${until}: ${reason}`;
}

interface AuthOptions {
  db: Database;
  secret: string;
  baseURL: string;
}

/** Better Auth on the owner connection: it manages its own tables, which RLS closes to requests. */
export function createAuth({ db, secret, baseURL }: AuthOptions) {
  return betterAuth({
    appName: "Parley",
    logger: { disabled: env.isTest },
    baseURL,
    secret,
    trustedOrigins: [baseURL],
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: {
        user,
        session,
        account,
        verification,
        organization: workspace,
        member,
        invitation,
        organizationRole,
        twoFactor,
        passkey,
      },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      autoSignIn: true,
      resetPasswordTokenExpiresIn: RESET_PASSWORD_TTL_SECONDS,
      // A reset means the password may have leaked: every session signed in with it ends.
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user: recipient, url }) => {
        // Better Auth's link checks the token, then lands on /reset-password?token=… (or
        // ?error=INVALID_TOKEN), whatever callback the request named.
        const link = new URL(url);
        link.searchParams.set("callbackURL", "/reset-password");
        await deliverAccountMail(
          "reset-password",
          resetPasswordMail({
            to: recipient.email,
            name: recipient.name,
            url: link.href,
            expiresInMinutes: RESET_PASSWORD_TTL_SECONDS / 60,
          }),
        );
      },
    },
    user: {
      // Set by the erasure alone (drizzle/0049_account_deletion.sql): no call writes it, and no
      // answer carries it (an erased account has no session).
      additionalFields: {
        deletedAt: { type: "date", required: false, input: false, returned: false },
      },
      changeEmail: {
        // A new address takes effect only from the link mailed to it, verified account or
        // not (no `updateEmailWithoutVerification`), and the old address is told at once
        // rather than asked to approve (no `sendChangeEmailConfirmation`): see
        // auth-email-change-rules.ts, which also asks for the current password.
        enabled: true,
      },
    },
    emailVerification: {
      // Verification is offered, not required: unverified accounts can still sign in.
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      expiresIn: VERIFY_EMAIL_TTL_SECONDS,
      sendVerificationEmail: async ({ user: recipient, token }) => {
        // The page verifies the token from the browser, so it can show what happened.
        const link = new URL("/verify-email", `${baseURL}/`);
        link.searchParams.set("token", token);
        const mail = { to: recipient.email, name: recipient.name, url: link.href };
        await deliverAccountMail(
          "verify-email",
          isEmailChangeToken(token) ? changeEmailVerificationMail(mail) : verifyEmailMail(mail),
        );
      },
    },
    rateLimit: {
      // On in every mode, not only production: sign-in is where brute force happens.
      enabled: true,
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: env.AUTH_ATTEMPT_LIMIT },
        "/sign-up/email": { window: 60, max: env.AUTH_ATTEMPT_LIMIT },
        "/forget-password": { window: 60, max: 3 },
        "/request-password-reset": { window: 60, max: 3 },
        "/send-verification-email": { window: 60, max: 3 },
        "/change-email": { window: 60, max: env.EMAIL_CHANGE_LIMIT },
        // Codes, backup codes and enrolment: guessing a six-digit code is what this stops.
        "/two-factor/*": { window: 60, max: env.TWO_FACTOR_ATTEMPT_LIMIT },
        // Listing is what every visit to the security settings does: the ordinary limit.
        "/passkey/list-user-passkeys": { window: 60, max: 100 },
        "/passkey/*": { window: 60, max: env.PASSKEY_ATTEMPT_LIMIT },
        "/account-deletion/*": { window: 60, max: env.ACCOUNT_DELETION_LIMIT },
      },
    },
    hooks: { before: guardAuthCalls, after: afterAuthCalls },
    databaseHooks: {
      user: {
        update: {
          // The only email a /verify-email call writes is the new address of an email change,
          // from the link mailed to it: following the link proves that address, whether or
          // not the old one was ever verified.
          before: (data, context) =>
            Promise.resolve(
              context?.path === "/verify-email" && typeof data.email === "string"
                ? { data: { ...data, emailVerified: true } }
                : { data },
            ),
        },
      },
      session: {
        create: {
          // The session's workspace is the database's to choose (session_keeps_a_workspace).
          before: (session, context) =>
            Promise.resolve({
              data: {
                ...session,
                ipAddress: sessionAddress(
                  session.ipAddress,
                  context?.headers ?? context?.request?.headers,
                ),
              },
            }),
          // Signing in is how a person calls off their account's pending deletion.
          after: async (created) => {
            await cancelDeletionOnSignIn(db, created);
          },
        },
      },
    },
    advanced: {
      // A session with its user in one statement (the relations in db/schema/auth.ts).
      database: { generateId: "uuid", joins: true },
      useSecureCookies: env.isProduction,
    },
    plugins: [
      twoFactors({
        issuer: "Parley",
        // "Trust this device" skips the code on this browser for this long.
        trustDeviceMaxAge: env.TWO_FACTOR_TRUST_DAYS * 24 * 3600,
        backupCodeOptions: { amount: 10, length: 10, storeBackupCodes: "encrypted" },
      }),
      passkeys({
        rpName: "Parley",
        // The credential is bound to this site: the host and origin people open Parley at.
        rpID: new URL(baseURL).hostname,
        origin: new URL(baseURL).origin,
        // Ask for the PIN, fingerprint or face: a passkey is then two factors on its own.
        authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
      }),
      accountDeletion({ db, graceDays: env.ACCOUNT_DELETION_GRACE_DAYS }),
      admin({
        defaultRole: "user",
        adminRoles: ["admin"],
        bannedUserMessage: (u) => bannedMessage(u),
      }),
      organization({
        ac: workspaceAccess,
        roles: workspaceRoles,
        creatorRole: "owner",
        organizationLimit: env.WORKSPACES_PER_USER,
        membershipLimit: env.WORKSPACE_MEMBER_LIMIT,
        invitationLimit: env.WORKSPACE_PENDING_INVITATIONS,
        invitationExpiresIn: env.INVITATION_TTL_HOURS * 3600,
        cancelPendingInvitationsOnReInvite: true,
        // The link opens /invite/<id>, which says what it is and lets a signed-out reader
        // sign in or create an account with the invited address before accepting.
        sendInvitationEmail: async ({ id, email, organization: joined, inviter }) => {
          await deliverAccountMail(
            "workspace-invitation",
            workspaceInvitationMail({
              to: email,
              inviterName: inviter.user.name,
              workspaceName: joined.name,
              url: new URL(`/invite/${id}`, `${baseURL}/`).href,
              expiresInHours: env.INVITATION_TTL_HOURS,
            }),
          );
        },
        // A workspace's chats are never hard-deleted from under their members (soft deletion
        // is the rule), so Better Auth's hard delete of a workspace stays closed.
        disableOrganizationDeletion: true,
        // What each role may do in chats is data per workspace (organization_role), made
        // from templates with the workspace; owners and admins change it.
        dynamicAccessControl: {
          enabled: true,
          // Its rows include the four templates every workspace has.
          maximumRolesPerOrganization: 4 + env.WORKSPACE_CUSTOM_ROLES,
        },
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
export type AuthSession = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;

let auth: Auth | undefined;

/** The Better Auth instance, created on first use (never at import or build). */
export function getAuth(): Auth {
  auth ??= createAuth({ db: getDb(), secret: resolveAuthSecret(), baseURL: env.appUrl });
  return auth;
}
