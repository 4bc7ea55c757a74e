import "server-only";

import { desc, eq } from "drizzle-orm";
import { isUuid } from "@/contracts/uuid";
import { getDb } from "@/db/client";
import { devMailbox } from "@/db/schema";
import type { MailMessage } from "./message";

/**
 * The dev mailbox: outgoing mail kept in the database when no SMTP server is configured. A
 * named system use of the owner connection, like Better Auth's own: request roles have no
 * grants on the table.
 */

export interface StoredMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: unknown;
  createdAt: Date;
}

export async function storeDevMail(message: MailMessage): Promise<void> {
  await getDb()
    .insert(devMailbox)
    .values({
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html ?? null,
      headers: message.headers ?? null,
    });
}

/** The newest mail first; the list is for reading links in development, so it stays short. */
export async function listDevMail(
  limit = 100,
): Promise<Omit<StoredMail, "text" | "html" | "headers">[]> {
  return getDb()
    .select({
      id: devMailbox.id,
      to: devMailbox.to,
      subject: devMailbox.subject,
      createdAt: devMailbox.createdAt,
    })
    .from(devMailbox)
    .orderBy(desc(devMailbox.createdAt), desc(devMailbox.id))
    .limit(limit);
}

export async function findDevMail(id: string): Promise<StoredMail | null> {
  if (!isUuid(id)) return null;
  const [row] = await getDb().select().from(devMailbox).where(eq(devMailbox.id, id)).limit(1);
  return row ?? null;
}
