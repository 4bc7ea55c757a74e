import { afterCommit } from "@/db/after-commit";
import type { Tx } from "@/db/types";
import type { DomainEvent } from "./events";

type Listener = (event: DomainEvent) => void;

// Route handlers (bundled by Next) publish; the realtime gateway (loaded by server/main.ts)
// listens. Both must reach the same list, so it lives on globalThis.
const LISTENERS = Symbol.for("parley.domainEventListeners");
type GlobalWithListeners = typeof globalThis & { [LISTENERS]?: Set<Listener> };
const store = globalThis as GlobalWithListeners;

function listeners(): Set<Listener> {
  store[LISTENERS] ??= new Set();
  return store[LISTENERS];
}

/** Delivers an event to every listener in this process, now. */
export function publish(event: DomainEvent): void {
  for (const listener of listeners()) listener(event);
}

/** Publishes when (and only if) the transaction commits. */
export function publishAfterCommit(tx: Tx, event: DomainEvent): void {
  afterCommit(tx, () => publish(event));
}

export function subscribe(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}
