import { createTRPCClient, httpBatchLink, type TRPCClient } from "@trpc/client";
import { BROWSER_BATCH_MAX_ITEMS } from "@/lib/trpc/batch";
import { transformer } from "@/lib/trpc/transformer";
import type { AppRouter } from "@/server/trpc/root";
import type { SignedInUser } from "./users";

export type ParleyClient = TRPCClient<AppRouter>;

/**
 * A tRPC client set up as the browser's (lib/trpc/react.tsx: the batch link with Parley's
 * transformer), carrying one user's session cookie. One client per simulated person: calls made
 * in the same tick on one client share a batch, exactly as they would in that person's tab.
 */
export function trpcClient(baseUrl: string, who: SignedInUser): ParleyClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        transformer,
        maxItems: BROWSER_BATCH_MAX_ITEMS,
        url: `${baseUrl}/api/trpc`,
        // A browser page of the app sends its Origin with every call.
        headers: () => ({ "x-trpc-source": "nextjs-react", cookie: who.cookie, origin: baseUrl }),
      }),
    ],
  });
}
