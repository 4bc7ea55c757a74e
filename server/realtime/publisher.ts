import "server-only";

import { afterCommit } from "@/db/after-commit";
import type { Tx } from "@/db/types";
import type { DomainEvent } from "./events";

type Listener = (event: DomainEvent) => void;

const listeners = new Set<Listener>();

/** Delivers an event to every listener in this process, now. */
export function publish(event: DomainEvent): void {
  for (const listener of listeners) listener(event);
}

/** Publishes when (and only if) the transaction commits. */
export function publishAfterCommit(tx: Tx, event: DomainEvent): void {
  afterCommit(tx, () => publish(event));
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
