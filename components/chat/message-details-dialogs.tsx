"use client";

import { useQuery } from "@tanstack/react-query";
import { Avatar } from "@/components/ui/avatar";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/forms";
import { useFormatters } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import type { MessageView } from "@/server/contracts/messages";

/** What a message said before each edit, newest first. */
export function EditHistoryDialog({
  message,
  onClose,
}: {
  message: MessageView | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const format = useFormatters();
  const { data, error, isPending } = useQuery(
    trpc.messages.edits.queryOptions(
      { messageId: message?.id ?? "" },
      { enabled: message !== null },
    ),
  );
  return (
    <Dialog open={message !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Edit history</DialogTitle>
          <DialogDescription>Earlier versions of this message.</DialogDescription>
        </DialogHeader>
        {message ? (
          <div className="space-y-3" data-testid="edit-history">
            <div className="rounded-md border border-border p-3 text-sm">
              <p className="mb-1 text-xs font-medium text-muted-foreground">Now</p>
              <p className="whitespace-pre-wrap">{message.content}</p>
            </div>
            {isPending ? <Skeleton className="h-16" /> : null}
            {error ? <p className="text-sm text-destructive-text">{errorMessage(error)}</p> : null}
            {data?.map((edit) => (
              <div key={edit.id} className="rounded-md bg-muted p-3 text-sm">
                <p className="mb-1 text-xs font-medium text-muted-foreground">
                  Before {format.dateTime(edit.editedAt)}
                </p>
                <p className="whitespace-pre-wrap">{edit.previousContent}</p>
              </div>
            ))}
          </div>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

/** Who in a group has read one of my messages, and when. */
export function ReadersDialog({
  message,
  onClose,
}: {
  message: MessageView | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const format = useFormatters();
  const { data, error, isPending } = useQuery(
    trpc.messages.readers.queryOptions(
      { messageId: message?.id ?? "" },
      { enabled: message !== null },
    ),
  );
  return (
    <Dialog open={message !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-sm">
        <DialogHeader>
          <DialogTitle>Read by</DialogTitle>
          <DialogDescription>Members who have read this message.</DialogDescription>
        </DialogHeader>
        {isPending ? <Skeleton className="h-16" /> : null}
        {error ? <p className="text-sm text-destructive-text">{errorMessage(error)}</p> : null}
        {data && data.length === 0 ? (
          <p className="text-sm text-muted-foreground">Nobody yet.</p>
        ) : null}
        <ul className="space-y-2" data-testid="readers">
          {data?.map((reader) => (
            <li key={reader.userId} className="flex items-center gap-3 text-sm">
              <Avatar name={reader.name} image={reader.image} />
              <span className="flex-1">{reader.name}</span>
              {reader.readAt ? (
                <span className="text-xs text-muted-foreground">
                  {format.relative(reader.readAt)}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </DialogContent>
    </Dialog>
  );
}
