import "server-only";

import type { Tx } from "./types";

/**
 * Work to run once a `withRls` transaction has committed — publishing domain events, say —
 * and never if it rolls back. Keyed by the transaction object, so every service that shares
 * the transaction shares its list.
 */
const pending = new WeakMap<Tx, Array<() => void>>();

export function openAfterCommit(tx: Tx): () => void {
  const callbacks: Array<() => void> = [];
  pending.set(tx, callbacks);
  return () => {
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        // A failing listener must not turn a committed write into a failed request.
        console.error("after-commit callback failed", error);
      }
    }
  };
}

export function afterCommit(tx: Tx, callback: () => void): void {
  const callbacks = pending.get(tx);
  if (!callbacks) throw new Error("afterCommit: not inside a withRls transaction");
  callbacks.push(callback);
}
