import "server-only";

import type { SecurityChange } from "@/server/accounts/security-notice-queue";
import type { MailMessage } from "./message";
import { actionMail } from "./templates";

/** The sign-in changes told in this one mail; a deletion has mails of its own. */
export type SignInChange = Exclude<SecurityChange, "account_deletion_scheduled">;

const WHAT: Record<SignInChange, { subject: string; body: string }> = {
  two_factor_on: {
    subject: "Two-factor authentication is on",
    body: "Two-factor authentication was turned on for your Parley account: signing in now asks for a code from your authenticator app.",
  },
  two_factor_off: {
    subject: "Two-factor authentication is off",
    body: "Two-factor authentication was turned off for your Parley account: signing in now asks only for your password.",
  },
  backup_codes: {
    subject: "New backup codes were made",
    body: "New two-factor backup codes were made for your Parley account. The codes you had before no longer work.",
  },
  two_factor_reset: {
    subject: "An admin reset your two-factor authentication",
    body: "A Parley admin turned two-factor authentication off for your account, as asked when an authenticator and its backup codes are lost. Signing in now asks only for your password until you turn it on again.",
  },
  passkey_added: {
    subject: "A passkey was added",
    body: "A passkey was added to your Parley account. It signs you in without your password.",
  },
  passkey_removed: {
    subject: "A passkey was removed",
    body: "A passkey was removed from your Parley account.",
  },
};

/**
 * Tells the owner of an account that the way it signs in changed, so a change they did not
 * make does not go unnoticed. Carries no code, key or secret: only what changed, and where to
 * look.
 */
export function securityNoticeMail(params: {
  to: string;
  name: string;
  change: SignInChange;
  settingsUrl: string;
}): MailMessage {
  const { subject, body } = WHAT[params.change];
  return actionMail({
    to: params.to,
    name: params.name,
    subject: `Parley: ${subject}`,
    intro: body,
    action: "Open your security settings",
    url: params.settingsUrl,
    outro:
      "If this was not you, change your password now and sign out your other devices; then check your security settings.",
  });
}
