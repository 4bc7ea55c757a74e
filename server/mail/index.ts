import "server-only";

import { env } from "@/server/env";
import { logger } from "@/server/logger";
import { storeDevMail } from "./dev-mailbox";
import type { MailMessage } from "./message";
import { sendSmtp } from "./smtp";

export type { MailMessage } from "./message";

export interface MailSettings {
  transport: "smtp" | "dev-mailbox";
  smtpUrl: string | undefined;
  from: string;
}

/** A sender bound to explicit settings (tests use this to reach their own SMTP server). */
export function createMailer(settings: MailSettings) {
  return async function send(message: MailMessage): Promise<void> {
    if (settings.transport === "smtp") {
      if (!settings.smtpUrl) throw new Error("SMTP transport without an SMTP URL");
      await sendSmtp(settings.smtpUrl, settings.from, message);
      return;
    }
    await storeDevMail(message);
  };
}

/**
 * Sends a mail through SMTP when `SMTP_URL` is set, otherwise keeps it in the dev mailbox.
 * Throws when delivery fails; callers facing a user decide what (not) to tell them.
 */
export const sendMail: (message: MailMessage) => Promise<void> = createMailer(env.mail);

/**
 * Sends a mail about someone's account (a link, a notice). A failure is logged and swallowed:
 * the answer to the request that caused it is the same either way, so a mail outage neither
 * fails an action that succeeded nor tells anyone which addresses have accounts.
 */
export async function deliverAccountMail(purpose: string, message: MailMessage): Promise<void> {
  try {
    await sendMail(message);
  } catch (err) {
    logger.error({ err, purpose }, "account mail could not be sent");
  }
}
