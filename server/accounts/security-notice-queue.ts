import "server-only";

import { afterCommit } from "@/db/after-commit";
import type { Tx } from "@/db/types";

/** Changes to how an account signs in, each told to its owner by mail. */
export type SecurityChange =
  | "two_factor_on"
  | "two_factor_off"
  | "backup_codes"
  | "two_factor_reset"
  | "passkey_added"
  | "passkey_removed"
  /** An admin started the deletion of the account (its own deletion mails at once). */
  | "account_deletion_scheduled";

export interface SecurityNotice {
  userId: string;
  change: SecurityChange;
}

type Listener = (notice: SecurityNotice) => void;
const listeners = new Set<Listener>();

/** Runs `listener` for each notice a committed request asked for (the mail sender's wake-up). */
export function onSecurityNotice(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Asks for a notice to the owner once the transaction that changed their account commits:
 * request code runs under RLS and never sends mail itself (it cannot read the address, and
 * must not reach the owner connection); the listener started with the server does.
 */
export function queueSecurityNotice(tx: Tx, notice: SecurityNotice): void {
  afterCommit(tx, () => listeners.forEach((listener) => listener(notice)));
}
