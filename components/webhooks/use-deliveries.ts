"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC, useTRPCClient } from "@/lib/trpc/react";
import { hasPending } from "./webhook-labels";

const PAGE_SIZE = 25;
/** While a delivery is pending the log changes by itself: the worker tries every second. */
const POLL_MS = 2_000;

/**
 * An endpoint's delivery log, newest first, a page at a time ("Load older"). The API pages by
 * the id of the last delivery seen rather than a tRPC cursor, so the pages are kept here;
 * their key sits under the procedure's own, and invalidating `deliveries` reaches them.
 */
export function useDeliveries(endpointId: string) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [path] = trpc.webhooks.deliveries.pathKey();
  const query = useInfiniteQuery({
    queryKey: [path, { input: { endpointId }, type: "infinite" }],
    queryFn: ({ pageParam }) =>
      client.webhooks.deliveries.query({ endpointId, before: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.length === PAGE_SIZE ? last.at(-1)?.id : undefined),
    refetchInterval: (current) =>
      current.state.data && hasPending(current.state.data.pages.flat()) ? POLL_MS : false,
  });

  const deliveries = query.data?.pages.flat();
  const pending = deliveries ? hasPending(deliveries) : false;
  const wasPending = useRef(pending);
  useEffect(() => {
    // A delivery settled: the endpoint's last success or failure (and its health) moved too.
    if (wasPending.current && !pending) {
      void queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.pathKey() });
    }
    wasPending.current = pending;
  }, [pending, queryClient, trpc]);

  return { query, deliveries, pending };
}
