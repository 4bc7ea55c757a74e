import type { Metadata } from "next";
import { DataExportCard } from "@/components/settings/data/data-export-card";
import { DeleteAccountCard } from "@/components/settings/data/delete-account-card";
import { PageHeader } from "@/components/ui/page-header";
import { env } from "@/server/env";
import { requireSession } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Your data" };

export default async function DataPage() {
  await requireSession("/settings/data");
  prefetch(trpc.dataExports.latest.queryOptions());
  return (
    <HydrateClient>
      <PageHeader
        title="Your data"
        description="Take a copy of what Parley keeps about you, or delete your account."
      />
      <div className="space-y-6">
        <DataExportCard />
        <DeleteAccountCard graceDays={env.ACCOUNT_DELETION_GRACE_DAYS} />
      </div>
    </HydrateClient>
  );
}
