import type { Metadata } from "next";
import { adminKeyListInput, readAdminKeySearch } from "@/components/api-keys/admin-key-search";
import { AdminKeysView } from "@/components/api-keys/admin-keys-view";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "API keys · Admin" };

export default async function AdminApiKeysPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin("/admin/api-keys");
  const search = readAdminKeySearch(await props.searchParams);
  prefetch(
    trpc.admin.apiKeys.list.infiniteQueryOptions(adminKeyListInput(search), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );
  return (
    <HydrateClient>
      <PageHeader
        title="API keys"
        description="Every user's keys. Revoking one stops it at once and is recorded in the owner's audit log."
      />
      <AdminKeysView />
    </HydrateClient>
  );
}
