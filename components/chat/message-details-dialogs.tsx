"use client";

import type { ReactNode } from "react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
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
import type { MessageView } from "@/contracts/messages";

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
  const { data, error, isPending, hasNextPage, fetchNextPage, isFetchingNextPage } =
    useInfiniteQuery(
      trpc.messages.edits.infiniteQueryOptions(
        { messageId: message?.id ?? "" },
        { enabled: message !== null, getNextPageParam: (page) => page.nextCursor ?? undefined },
      ),
    );
  return (
    <DetailsDialog
      open={message !== null}
      onClose={onClose}
      title="Edit history"
      description="Earlier versions of this message."
    >
      {message ? (
        <div className="space-y-3" data-testid="edit-history">
          <div className="rounded-md border border-border p-3 text-sm">
            <p className="mb-1 text-xs font-medium text-muted-foreground">Now</p>
            <p className="whitespace-pre-wrap">{message.content}</p>
          </div>
          <QueryState isPending={isPending} error={error} />
          {data?.pages
            .flatMap((page) => page.items)
            .map((edit) => (
              <div key={edit.id} className="rounded-md bg-muted p-3 text-sm">
                <p className="mb-1 text-xs font-medium text-muted-foreground">
                  Before {format.dateTime(edit.editedAt)}
                </p>
                <p className="whitespace-pre-wrap">{edit.previousContent}</p>
              </div>
            ))}
          {hasNextPage ? (
            <Button
              variant="outline"
              size="sm"
              className="w-full"
              disabled={isFetchingNextPage}
              onClick={() => void fetchNextPage()}
            >
              {isFetchingNextPage ? "Loading…" : "Show earlier versions"}
            </Button>
          ) : null}
        </div>
      ) : null}
    </DetailsDialog>
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
    <DetailsDialog
      open={message !== null}
      onClose={onClose}
      title="Read by"
      description="Members who have read this message."
      className="max-w-sm"
    >
      <QueryState isPending={isPending} error={error} />
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
    </DetailsDialog>
  );
}

/** The frame both message details share: a titled dialog that closes back to the chat. */
function DetailsDialog(props: {
  open: boolean;
  onClose: () => void;
  title: string;
  description: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Dialog open={props.open} onOpenChange={(open) => !open && props.onClose()}>
      <DialogContent className={props.className}>
        <DialogHeader>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogDescription>{props.description}</DialogDescription>
        </DialogHeader>
        {props.children}
      </DialogContent>
    </Dialog>
  );
}

function QueryState({ isPending, error }: { isPending: boolean; error: unknown }) {
  return (
    <>
      {isPending ? <Skeleton className="h-16" /> : null}
      {error ? <p className="text-sm text-destructive-text">{errorMessage(error)}</p> : null}
    </>
  );
}
