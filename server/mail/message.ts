import "server-only";

/** One outgoing mail: plain text always, HTML as an alternative part when there is one. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Extra headers, e.g. List-Unsubscribe for mail sent without being asked for. */
  headers?: Record<string, string> | undefined;
}
