import { notFound } from "next/navigation";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { FormatProvider } from "@/lib/format";
import { viewerTimeZone } from "@/lib/viewer-time-zone";
import { env } from "@/server/env";

/**
 * The dev mailbox exists only while mail is kept in the database, and only outside
 * production unless DEV_MAILBOX turns it on (end-to-end runs). Anywhere else: 404.
 */
export default async function DevMailboxLayout({ children }: { children: ReactNode }) {
  await connection();
  if (!env.mail.devMailboxReadable) notFound();
  return (
    <main className="mx-auto w-full max-w-4xl space-y-6 px-4 py-8">
      <FormatProvider timeZone={await viewerTimeZone()}>{children}</FormatProvider>
    </main>
  );
}
