import nodemailer, { type Transporter } from "nodemailer";
import type { MailMessage } from "./message";

const TRANSPORTS = Symbol.for("parley.mail.smtp");
type GlobalWithTransports = typeof globalThis & { [TRANSPORTS]?: Map<string, Transporter> };
const store = globalThis as GlobalWithTransports;

/** One pooled transport per SMTP URL for the whole process. */
function transportFor(smtpUrl: string): Transporter {
  const transports = (store[TRANSPORTS] ??= new Map<string, Transporter>());
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
  });
}
