"use client";

import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { MessageView } from "@/contracts/messages";

/** "Delete this message?", for the message given; closed while there is none. */
export function DeleteMessageDialog({
  message,
  onClose,
  onDelete,
}: {
  message: MessageView | null;
  onClose: () => void;
  onDelete: (message: MessageView) => Promise<void>;
}) {
  return (
    <ConfirmDialog
      open={message !== null}
      onOpenChange={(open) => !open && onClose()}
      title="Delete this message?"
      description="Everyone in the chat will see “Message deleted” in its place. This cannot be undone."
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      onConfirm={async () => {
        if (!message) return;
        await onDelete(message);
        onClose();
      }}
    />
  );
}
