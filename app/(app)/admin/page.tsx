import type { Metadata } from "next";
import { AdminOverview } from "@/components/admin/admin-overview";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";
import { ADMIN_OVERVIEW_DAYS } from "@/contracts/admin";
import { DEAD_LETTERS_SHOWN } from "@/contracts/dead-letters";

export const metadata: Metadata = { title: "Admin overview" };

export default async function AdminOverviewPage() {
  await requireAdmin("/admin");
  prefetch(trpc.admin.stats.overview.queryOptions({ days: ADMIN_OVERVIEW_DAYS }));
  prefetch(trpc.admin.deadLetters.list.queryOptions({ limit: DEAD_LETTERS_SHOWN }));
  return (
    <HydrateClient>
      <PageHeader title="Overview" description="How Parley is used, across all users." />
      <AdminOverview />
    </HydrateClient>
  );
}
