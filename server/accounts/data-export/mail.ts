import "server-only";

import { eq } from "drizzle-orm";
import { dataExportDownloadPath } from "@/contracts/data-exports";
import { user } from "@/db/schema";
import type { Database } from "@/db/types";
import type { MailMessage } from "@/server/mail/message";
import { dataExportReadyMail } from "@/server/mail/templates";

/**
 * Tells the person their archive is ready, with its download link. The address is read on the
 * owner connection (request roles never see `user.email`); call it outside any transaction,
 * since sending may itself use the database (the dev mailbox).
 */
export async function mailExportReady(
  db: Database,
  send: (mail: MailMessage) => Promise<void>,
  params: { appUrl: string; userId: string; exportId: string; expiresAt: Date },
): Promise<boolean> {
  const [person] = await db
    .select({ name: user.name, email: user.email })
    .from(user)
    .where(eq(user.id, params.userId));
  if (!person) return false;
  await send(
    dataExportReadyMail({
      to: person.email,
      name: person.name,
      url: `${params.appUrl}${dataExportDownloadPath(params.exportId)}`,
      expiresAt: params.expiresAt,
    }),
  );
  return true;
}
