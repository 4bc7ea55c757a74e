import "server-only";

import type { MailMessage } from "./message";
import { actionMail, escapeHtml } from "./templates";

/** "5 January 2027, 14:30 UTC": a date nobody can read two ways. */
function when(date: Date): string {
  const day = date.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  const time = date.toLocaleTimeString("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
  });
  return `${day}, ${time} UTC`;
}

/** The account will be erased at `eraseAfter` unless its owner signs in before then. */
export function accountDeletionScheduledMail(params: {
  to: string;
  name: string;
  eraseAfter: Date;
  byAdmin: boolean;
  signInUrl: string;
}): MailMessage {
  const who = params.byAdmin
    ? "A Parley admin asked for your Parley account to be deleted."
    : "You asked for your Parley account to be deleted, and you have been signed out everywhere.";
  return actionMail({
    to: params.to,
    name: params.name,
    subject: "Parley: your account will be deleted",
    intro: `${who} It will be erased on ${when(params.eraseAfter)}: your profile, settings, keys, files and sign-in methods will go, and your name will show as "Deleted user". Until then, signing in cancels the deletion.`,
    action: "Sign in to keep your account",
    url: params.signInUrl,
    outro: params.byAdmin
      ? "If you think this is a mistake, sign in before then, or reply to your workspace's admins."
      : "If this was not you, sign in now and change your password.",
  });
}

/** Signing in called a pending deletion off. */
export function accountDeletionCancelledMail(params: {
  to: string;
  name: string;
  settingsUrl: string;
}): MailMessage {
  return actionMail({
    to: params.to,
    name: params.name,
    subject: "Parley: your account will not be deleted",
    intro:
      "You signed in to Parley, so the deletion of your account that was pending has been cancelled. Everything stays as it was.",
    action: "Open your settings",
    url: params.settingsUrl,
    outro: "To delete your account after all, ask again from your settings.",
  });
}

/** The last mail to the address: the account is gone. No link: nothing is left to open. */
export function accountErasedMail(params: { to: string; name: string }): MailMessage {
  const greeting = params.name.trim() ? `Hi ${params.name.trim()},` : "Hi,";
  const body =
    "Your Parley account has been deleted, as asked. Your profile, settings, keys, files and sign-in methods are gone, and Parley no longer keeps this address.";
  return {
    to: params.to,
    subject: "Parley: your account has been deleted",
    text: [greeting, "", body, "", "— Parley"].join("\n"),
    html: [`<p>${escapeHtml(greeting)}</p>`, `<p>${escapeHtml(body)}</p>`, "<p>— Parley</p>"].join(
      "\n",
    ),
  };
}
