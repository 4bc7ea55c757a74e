import "server-only";

import { sql } from "drizzle-orm";
import { afterCommit } from "@/db/after-commit";
import type { Tx } from "@/db/types";
import { firstLink } from "@/lib/markdown/first-link";
import { env } from "@/server/env";

type Listener = () => void;
const listeners = new Set<Listener>();

/** Runs `listener` when a preview was queued in this process (the worker's wake-up). */
export function onLinkPreviewQueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Queues the preview of the first page a message links to, in the transaction that wrote
 * the message: a preview asked for is never lost to a crash between the two. An edit
 * (`edited`) also drops the preview of a link the message no longer has. Nothing is
 * queued when previews are off.
 */
export async function queueLinkPreview(
  tx: Tx,
  params: { messageId: string; content: string; edited: boolean },
): Promise<void> {
  if (env.LINK_PREVIEWS === "off") return;
  const url = firstLink(params.content);
  if (!url && !params.edited) return;
  await tx.execute(sql`select public.queue_link_preview(${params.messageId}::uuid, ${url})`);
  if (url) afterCommit(tx, () => listeners.forEach((listener) => listener()));
}
