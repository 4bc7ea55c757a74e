import "server-only";

import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import { createTRPCContext } from "@/server/trpc/context";
import { createCallerFactory } from "@/server/trpc/init";
import { appRouter, type AppRouter } from "@/server/trpc/root";
import { createQueryClient } from "@/lib/trpc/query-client";

/** The same context a `/api/trpc` request gets, built from this render's request headers. */
const createContext = cache(async () => {
  const heads = new Headers(await headers());
  heads.set("x-trpc-source", "rsc");
  return createTRPCContext({ headers: heads, rendering: true });
});

export const getQueryClient = cache(createQueryClient);

export const trpc = createTRPCOptionsProxy<AppRouter>({
  router: appRouter,
  ctx: createContext,
  queryClient: getQueryClient,
});

/**
 * The router called directly, outside the query cache: for a render that must know a result
 * (and act on its error) before anything is streamed. A failed query left pending in the
 * cache would be dehydrated by whichever layout renders first and reach the client as a
 * redacted error.
 */
export const getCaller = cache(async () => createCallerFactory(appRouter)(await createContext()));

export function HydrateClient(props: { children: ReactNode }) {
  return (
    <HydrationBoundary state={dehydrate(getQueryClient())}>{props.children}</HydrationBoundary>
  );
}

// The options type of any query is the contract here; its data type does not matter.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): void {
  const queryClient = getQueryClient();
  if (queryOptions.queryKey[1]?.type === "infinite") {
    // Infinite queries prefetch through their own entry point.
    void queryClient.prefetchInfiniteQuery(queryOptions as never);
  } else {
    void queryClient.prefetchQuery(queryOptions);
  }
}

/**
 * The workspace this render runs in, read once: the app layout and the workspace pages render
 * in parallel and both need it.
 */
export const getCurrentWorkspace = cache(async () => (await getCaller()).workspaces.current());
