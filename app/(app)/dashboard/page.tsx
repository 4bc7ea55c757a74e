import type { Metadata } from "next";
import { Welcome } from "@/components/dashboard/welcome";
import { HydrateClient, prefetch, trpc } from "@/lib/trpc/server";

export const metadata: Metadata = { title: "Dashboard" };

export default function DashboardPage() {
  prefetch(trpc.me.get.queryOptions());
  return (
    <HydrateClient>
      <Welcome />
    </HydrateClient>
  );
}
