import "server-only";

import nodemailer, { type Transporter } from "nodemailer";
import type { MailMessage } from "./message";

const transports = new Map<string, Transporter>();

/** One pooled transport per SMTP URL for the whole process. */
function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(smtpUrl);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

export async function sendSmtp(smtpUrl: string, from: string, message: MailMessage): Promise<void> {
  await transportFor(smtpUrl).sendMail({
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    ...(message.headers ? { headers: message.headers } : {}),
  });
}
