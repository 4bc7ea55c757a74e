import type { Metadata } from "next";
import { DashboardView } from "@/components/dashboard/dashboard-view";
import { requireSession } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  // Layouts and pages render in parallel: the page checks the session itself before it
  // prefetches, rather than relying on the layout's redirect. The check is cached per request.
  await requireSession("/dashboard");
  prefetch(trpc.me.get.queryOptions());
  prefetch(trpc.dashboard.summary.queryOptions());
  return (
    <HydrateClient>
      <DashboardView />
    </HydrateClient>
  );
}
