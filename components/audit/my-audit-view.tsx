"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import { AuditLogPanel } from "./audit-log-panel";
import { auditListInput } from "./audit-search";
import { useAuditSearch } from "./use-audit-search";

/** The signed-in user's own audit trail. */
export function MyAuditView() {
  const trpc = useTRPC();
  const { search, setSearch, searchKey } = useAuditSearch("user");
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const query = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(auditListInput(search, "user"), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      placeholderData: keepPreviousData,
    }),
  );
  return (
    <AuditLogPanel
      scope="user"
      search={search}
      searchKey={searchKey}
      onSearch={setSearch}
      keys={keys.data}
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
