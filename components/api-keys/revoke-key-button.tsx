"use client";

import { Ban } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { maskedKey } from "./key-status";
import { RowActionLabel } from "@/components/ui/row-action-label";

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
      triggerTooltip="Revoke"
      trigger={
        <Button variant="outline" size="sm">
          <Ban aria-hidden="true" />
          <RowActionLabel label="Revoke" detail={apiKey.name} />
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
