import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { LinkifiedText } from "../_components/linkified-text";
import { LocalTime } from "../_components/local-time";
import { Card } from "@/components/ui/card";
import { requireDevMailboxReader } from "@/server/rsc/session";
import { findDevMail } from "@/server/mail/dev-mailbox";

export const metadata: Metadata = { title: "Mail · Dev mailbox" };

export default async function DevMailPage(props: { params: Promise<{ id: string }> }) {
  await connection();
  await requireDevMailboxReader();
  const { id } = await props.params;
  const mail = await findDevMail(id);
  if (!mail) notFound();
  return (
    <>
      <Link
        href="/dev/mailbox"
        className="inline-flex items-center gap-1 text-sm font-medium text-primary-text hover:underline"
      >
        <ArrowLeft aria-hidden="true" className="size-4" />
        Back to the mailbox
      </Link>
      <Card className="space-y-4">
        <h1 className="text-xl font-semibold tracking-tight">{mail.subject}</h1>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted-foreground">To</dt>
          <dd className="break-all">{mail.to}</dd>
          <dt className="text-muted-foreground">Sent</dt>
          <dd>
            <LocalTime value={mail.createdAt.toISOString()} />
          </dd>
        </dl>
        {/* The plain-text part only: stored HTML is never rendered into Parley's own pages. */}
        <div className="border-t border-border pt-4 text-sm leading-relaxed break-words whitespace-pre-wrap">
          <LinkifiedText text={mail.text} />
        </div>
      </Card>
    </>
  );
}
