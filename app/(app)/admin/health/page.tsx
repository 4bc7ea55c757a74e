import type { Metadata } from "next";
import { HealthView } from "@/components/admin/health-view";
import { PageHeader } from "@/components/ui/page-header";
import { HEALTH_LIST_LIMIT } from "@/contracts/admin-health";
import { requireAdmin } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Health" };

export default async function AdminHealthPage() {
  await requireAdmin("/admin/health");
  prefetch(trpc.admin.health.overview.queryOptions());
  prefetch(trpc.admin.health.trend.queryOptions());
  prefetch(trpc.admin.health.tables.queryOptions({ limit: HEALTH_LIST_LIMIT }));
  prefetch(trpc.admin.health.indexes.queryOptions({ limit: HEALTH_LIST_LIMIT, unusedOnly: false }));
  prefetch(trpc.admin.health.statements.queryOptions({ order: "total", limit: HEALTH_LIST_LIMIT }));
  return (
    <HydrateClient>
      <PageHeader
        title="Health"
        description="The database, its connections and tables, Parley's queues and realtime."
      />
      <HealthView />
    </HydrateClient>
  );
}
