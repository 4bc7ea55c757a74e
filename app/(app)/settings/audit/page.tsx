import type { Metadata } from "next";
import { auditListInput, readAuditSearch } from "@/components/audit/audit-search";
import { MyAuditView } from "@/components/audit/my-audit-view";
import { PageHeader } from "@/components/ui/page-header";
import { requireSession } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireSession("/settings/audit");
  const search = readAuditSearch(await props.searchParams, "user");
  prefetch(trpc.apiKeys.list.queryOptions());
  prefetch(
    trpc.audit.list.infiniteQueryOptions(auditListInput(search, "user"), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );
  return (
    <HydrateClient>
      <PageHeader
        title="Audit log"
        description="Every call made with your API keys, and the security-relevant actions on your account."
      />
      <MyAuditView />
    </HydrateClient>
  );
}
