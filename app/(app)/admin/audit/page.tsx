import type { Metadata } from "next";
import { AdminAuditView } from "@/components/audit/admin-audit-view";
import { auditListInput, readAuditSearch } from "@/components/audit/audit-search";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Audit log · Admin" };

export default async function AdminAuditPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin("/admin/audit");
  const search = readAuditSearch(await props.searchParams, "admin");
  prefetch(
    trpc.admin.audit.list.infiniteQueryOptions(auditListInput(search, "admin"), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );
  return (
    <HydrateClient>
      <PageHeader
        title="Audit log"
        description="Every user's REST API requests and security-relevant actions."
      />
      <AdminAuditView />
    </HydrateClient>
  );
}
