import { Inbox } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { LocalTime } from "./_components/local-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { requireDevMailboxReader } from "@/server/rsc/session";
import { listDevMail } from "@/server/mail/dev-mailbox";

export const metadata: Metadata = { title: "Dev mailbox" };

export default async function DevMailboxPage() {
  // The layout checks too, but pages render beside layouts: never read mail unchecked.
  await connection();
  await requireDevMailboxReader();
  const mails = await listDevMail();
  return (
    <>
      <PageHeader
        title="Dev mailbox"
        description="No SMTP server is configured, so Parley keeps the mail it sends here. Newest first."
      />
      {mails.length === 0 ? (
        <EmptyState
          icon={<Inbox aria-hidden="true" />}
          title="No mail yet"
          description="Sign up or ask for a password reset, and the mail shows up here."
        />
      ) : (
        <Table label="Mail">
          <TableCaption>Mail sent by Parley, newest first</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>To</TableHead>
              <TableHead>Subject</TableHead>
              <TableHead>Sent</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {mails.map((mail) => (
              <TableRow key={mail.id}>
                <TableCell className="whitespace-nowrap">{mail.to}</TableCell>
                <TableCell>
                  <Link
                    href={`/dev/mailbox/${mail.id}`}
                    className="font-medium text-primary-text hover:underline"
                  >
                    {mail.subject}
                  </Link>
                </TableCell>
                <TableCell className="whitespace-nowrap text-muted-foreground">
                  <LocalTime value={mail.createdAt.toISOString()} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
