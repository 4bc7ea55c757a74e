import {
  defaultShouldDehydrateQuery,
  MutationCache,
  QueryCache,
  QueryClient,
} from "@tanstack/react-query";
import superjson from "superjson";
import { shouldRetryQuery } from "./query-retry";
import { toastIfTransient } from "./transient-error-toast";
import { serializeOutput } from "./transformer";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: toastIfTransient }),
    mutationCache: new MutationCache({ onError: toastIfTransient }),
    defaultOptions: {
      queries: {
        // Data prefetched on the server is fresh on arrival: don't refetch it immediately.
        staleTime: 30 * 1000,
        retry: shouldRetryQuery,
      },
      dehydrate: {
        // Procedure outputs, written as the tRPC endpoint writes them (transformer.ts).
        serializeData: serializeOutput,
        shouldDehydrateQuery: (query) =>
          defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: {
        deserializeData: superjson.deserialize,
      },
    },
  });
}
