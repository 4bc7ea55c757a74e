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
