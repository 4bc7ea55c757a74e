"use client";

import { Ban } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { maskedKey } from "./key-status";

/** Revoke, after a confirmation: a revoked key stops working at once and cannot come back. */
export function RevokeKeyButton({
  apiKey,
  owner,
  onRevoke,
}: {
  apiKey: { name: string; prefix: string };
  /** Whose key it is, when it is not the viewer's own. */
  owner?: string;
  onRevoke: () => Promise<unknown>;
}) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="sm">
          <Ban aria-hidden="true" />
          Revoke<span className="sr-only"> {apiKey.name}</span>
        </Button>
      }
      title={`Revoke “${apiKey.name}”?`}
      description={
        <p>
          {owner ? `${owner}'s key` : "The key"} {maskedKey(apiKey.prefix)} stops working
          immediately. Anything still using it gets 401 Unauthorized. This cannot be undone.
        </p>
      }
      confirmLabel="Revoke key"
      pendingLabel="Revoking…"
      onConfirm={onRevoke}
    />
  );
}
