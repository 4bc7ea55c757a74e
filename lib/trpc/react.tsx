"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import type { AppRouter } from "@/server/trpc/root";
import { BROWSER_BATCH_MAX_ITEMS } from "./batch";
import { createQueryClient } from "./query-client";
import { transformer } from "./transformer";

let browserQueryClient: QueryClient | undefined;

function getQueryClient(): QueryClient {
  // A new client per server render; one for the lifetime of the page in the browser.
  if (typeof window === "undefined") return createQueryClient();
  browserQueryClient ??= createQueryClient();
  return browserQueryClient;
}

// useTRPCClient: the vanilla client, for calls made outside React Query (realtime tokens).
export const { useTRPC, useTRPCClient, TRPCProvider } = createTRPCContext<AppRouter>();

export function TRPCReactProvider(props: { children: ReactNode; baseUrl: string }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        // Batched, not streamed: no procedure streams its output, and answering as a stream
        // (web streams per chunk) cost the server a fifth of its CPU per call
        // (docs/PERFORMANCE.md). A batch is answered once its slowest call is done.
        httpBatchLink({
          transformer,
          maxItems: BROWSER_BATCH_MAX_ITEMS,
          url: `${typeof window === "undefined" ? props.baseUrl : ""}/api/trpc`,
          headers: () => ({ "x-trpc-source": "nextjs-react" }),
        }),
      ],
    }),
  );

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {props.children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
