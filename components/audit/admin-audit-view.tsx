"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import { AuditLogPanel } from "./audit-log-panel";
import { auditListInput } from "./audit-search";
import { useAuditSearch } from "./use-audit-search";

/** The whole audit log, for site admins. */
export function AdminAuditView() {
  const trpc = useTRPC();
  const { search, setSearch, searchKey } = useAuditSearch("admin");
  const query = useInfiniteQuery(
    trpc.admin.audit.list.infiniteQueryOptions(auditListInput(search, "admin"), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      placeholderData: keepPreviousData,
    }),
  );
  return (
    <AuditLogPanel
      scope="admin"
      search={search}
      searchKey={searchKey}
      onSearch={setSearch}
      pages={{
        rows: query.data?.pages.flatMap((page) => page.items),
        error: query.isError ? errorMessage(query.error) : null,
        stale: query.isPlaceholderData,
        hasMore: query.hasNextPage,
        loadingMore: query.isFetchingNextPage,
        loadMore: () => void query.fetchNextPage(),
        retry: () => void query.refetch(),
      }}
    />
  );
}
