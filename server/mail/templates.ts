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

interface ActionMail {
  to: string;
  name: string;
  subject: string;
  intro: string;
  action: string;
  url: string;
  outro: string;
}

/** A mail whose point is one link: the same words in plain text and in simple HTML. */
function actionMail({ to, name, subject, intro, action, url, outro }: ActionMail): MailMessage {
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
