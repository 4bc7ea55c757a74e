import { connection } from "next/server";
import type { ReactNode } from "react";
import { FormatProvider } from "@/lib/format";
import { viewerTimeZone } from "@/lib/viewer-time-zone";
import { requireDevMailboxReader } from "@/server/rsc/session";

/** Who may read the dev mailbox, and when it exists at all: `requireDevMailboxReader`. */
export default async function DevMailboxLayout({ children }: { children: ReactNode }) {
  await connection();
  await requireDevMailboxReader();
  return (
    <main className="mx-auto w-full max-w-4xl space-y-6 px-4 py-8">
      <FormatProvider timeZone={await viewerTimeZone()}>{children}</FormatProvider>
    </main>
  );
}
