/**
 * The most calls the browser's tRPC link puts in one request. The server refuses larger
 * batches (`TRPC_MAX_BATCH`, never set below this), so a page never meets that refusal.
 */
export const BROWSER_BATCH_MAX_ITEMS = 10;
