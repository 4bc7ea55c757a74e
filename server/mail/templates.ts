import "server-only";

import type { MailMessage } from "./message";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

export interface ActionMail {
  to: string;
  name: string;
  subject: string;
  intro: string;
  action: string;
  url: string;
  outro: string;
}

/** A mail whose point is one link: the same words in plain text and in simple HTML. */
export function actionMail({
  to,
  name,
  subject,
  intro,
  action,
  url,
  outro,
}: ActionMail): MailMessage {
  const greeting = name.trim() ? `Hi ${name.trim()},` : "Hi,";
  const text = [greeting, "", intro, "", `${action}: ${url}`, "", outro, "", "— Parley"].join("\n");
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<p><a href="${escapeHtml(url)}">${escapeHtml(action)}</a></p>`,
    `<p>Or paste this link into your browser:<br>${escapeHtml(url)}</p>`,
    `<p>${escapeHtml(outro)}</p>`,
    "<p>— Parley</p>",
  ].join("\n");
  return { to, subject, text, html };
}

export function resetPasswordMail(params: {
  to: string;
  name: string;
  url: string;
  expiresInMinutes: number;
}): MailMessage {
  return actionMail({
    ...params,
    subject: "Reset your Parley password",
    intro: `Someone asked to reset the password of your Parley account. The link works once, for ${params.expiresInMinutes} minutes.`,
    action: "Choose a new password",
    outro: "If it was not you, ignore this mail: your password stays as it is.",
  });
}

export function verifyEmailMail(params: { to: string; name: string; url: string }): MailMessage {
  return actionMail({
    ...params,
    subject: "Confirm your email address for Parley",
    intro: "Confirm that this address belongs to your Parley account.",
    action: "Confirm my email address",
    outro: "If you did not create a Parley account, ignore this mail.",
  });
}

/** To the address someone asked to move their account to: the change waits for this link. */
export function changeEmailVerificationMail(params: {
  to: string;
  name: string;
  url: string;
}): MailMessage {
  return actionMail({
    ...params,
    subject: "Confirm your new email address for Parley",
    intro:
      "You asked to use this address for your Parley account. Nothing changes until you open this link; it works for 24 hours.",
    action: "Use this address for Parley",
    outro: "If you did not ask for this, ignore this mail: no account will use this address.",
  });
}

/**
 * To the account's current address when a change is asked for, before it can take effect,
 * so the owner of a hijacked session hears of it while the change can still be stopped.
 */
export function emailChangeRequestedMail(params: {
  to: string;
  name: string;
  newEmail: string;
  url: string;
}): MailMessage {
  return actionMail({
    to: params.to,
    name: params.name,
    url: params.url,
    subject: "Your Parley email address is being changed",
    intro: `Someone signed in to your Parley account asked to change its email address to ${params.newEmail}. It changes only once the link we sent to ${params.newEmail} is opened; until then you sign in with this address.`,
    action: "Review your security settings",
    outro:
      "If this was you, there is nothing to do. If it was not, sign in now and change your password with “Sign out other devices” ticked: that ends every session, including the one that asked, and cancels the change. Then check your sessions in Settings → Security.",
  });
}

/**
 * To an address that already belongs to an account when another account asks to move to it.
 * The person asking is told only "check that address for a link", as when it is free, so
 * the form cannot be used to find out which addresses have accounts.
 */
export function emailInUseMail(params: { to: string; url: string }): MailMessage {
  return actionMail({
    to: params.to,
    name: "",
    url: params.url,
    subject: "This address already has a Parley account",
    intro:
      "Someone signed in to another Parley account asked to change its email address to this one. This address already belongs to a Parley account, so nothing was changed.",
    action: "Sign in to Parley",
    outro:
      "If it was you, sign in with this address instead (or reset its password from the sign-in page). If not, ignore this mail: your account is unchanged.",
  });
}

export function workspaceInvitationMail(params: {
  to: string;
  inviterName: string;
  workspaceName: string;
  url: string;
  expiresInHours: number;
}): MailMessage {
  const days = params.expiresInHours / 24;
  const lasts = Number.isInteger(days)
    ? `${days} day${days === 1 ? "" : "s"}`
    : `${params.expiresInHours} hours`;
  return actionMail({
    to: params.to,
    name: "",
    subject: `${params.inviterName} invited you to ${params.workspaceName} on Parley`,
    intro: `${params.inviterName} invited you to join the workspace ${params.workspaceName} on Parley. The link works once, for ${lasts}; if you have no Parley account yet, you can create one on the way.`,
    action: `Join ${params.workspaceName}`,
    url: params.url,
    outro: "If you did not expect this invitation, ignore this mail: nothing happens without you.",
  });
}

export function dataExportReadyMail(params: {
  to: string;
  name: string;
  url: string;
  expiresAt: Date;
}): MailMessage {
  return actionMail({
    ...params,
    subject: "Your Parley data is ready to download",
    intro: `The copy of your data you asked for is ready: one ZIP archive with your profile, settings, messages, reactions and files. Download it while signed in to Parley, until ${params.expiresAt.toUTCString()}; after that it is deleted.`,
    action: "Download my data",
    outro:
      "If you did not ask for your data, change your password and sign out your other sessions in Parley's settings.",
  });
}
