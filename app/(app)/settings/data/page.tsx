import type { Metadata } from "next";
import { DataExportCard } from "@/components/settings/data/data-export-card";
import { PageHeader } from "@/components/ui/page-header";
import { requireSession } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Your data" };

export default async function DataPage() {
  await requireSession("/settings/data");
  prefetch(trpc.dataExports.latest.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title="Your data" description="Take a copy of what Parley keeps about you." />
      <DataExportCard />
    </HydrateClient>
  );
}
