"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PinOff } from "lucide-react";
import { useId } from "react";
import { Button } from "@/components/ui/button";
import { InlineError } from "@/components/ui/inline-error";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/components/ui/toaster";
import { Tooltip } from "@/components/ui/tooltip";
import { useFormatters } from "@/lib/format";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";

/**
 * The chat's pinned messages, the latest pinned first: each opens the conversation at the
 * message; whoever may unpin one can do it from here. Kept live by `pin.changed`
 * (components/chat/use-conversation.ts).
 */
export function InfoPanelPins({
  chatId,
  onJumpTo,
}: {
  chatId: string;
  onJumpTo: (seq: number) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const format = useFormatters();
  const headingId = useId();
  const pins = useQuery(trpc.pins.list.queryOptions({ chatId }));
  const unpin = useMutation(
    trpc.pins.remove.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.pins.list.queryKey({ chatId }) }),
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  const list = pins.data;

  return (
    <section aria-labelledby={headingId} className="space-y-2 p-4" data-testid="pinned-messages">
      <h3 id={headingId} className="text-sm font-semibold">
        Pinned messages{list && list.length > 0 ? ` (${list.length})` : ""}
      </h3>
      {list ? (
        list.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            Nothing pinned yet. Pin a message from its actions menu to keep it here.
          </p>
        ) : (
          <ul className="max-h-72 space-y-1 overflow-y-auto">
            {list.map((pin) => (
              <li key={pin.messageId} className="group/pin flex items-start gap-1">
                <button
                  type="button"
                  className="min-w-0 flex-1 rounded-md px-2 py-1.5 text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
                  onClick={() => onJumpTo(pin.seq)}
                >
                  <span className="flex items-baseline justify-between gap-2 text-xs text-muted-foreground">
                    <span className="truncate font-medium text-foreground">
                      {pin.sender?.name ?? "Deleted user"}
                    </span>
                    <time
                      dateTime={pin.createdAt.toISOString()}
                      title={format.dateTime(pin.createdAt)}
                    >
                      {format.date(pin.createdAt)}
                    </time>
                  </span>
                  <span className="line-clamp-2 text-sm">{pin.preview}</span>
                  <span className="sr-only">
                    , pinned by {pin.pinnedBy?.name ?? "someone"}. Show in the conversation
                  </span>
                </button>
                {pin.canUnpin ? (
                  <Tooltip content="Unpin">
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-7 shrink-0 opacity-0 group-hover/pin:opacity-100 focus-visible:opacity-100 [@media(hover:none)]:opacity-100"
                      aria-label={`Unpin the message from ${pin.sender?.name ?? "a deleted user"}`}
                      disabled={unpin.isPending}
                      onClick={() => unpin.mutate({ messageId: pin.messageId })}
                    >
                      <PinOff aria-hidden="true" className="size-3.5" />
                    </Button>
                  </Tooltip>
                ) : null}
              </li>
            ))}
          </ul>
        )
      ) : pins.isError ? (
        <InlineError
          message="Could not load the pinned messages."
          onRetry={() => void pins.refetch()}
        />
      ) : (
        <Skeleton className="h-10 w-full" />
      )}
    </section>
  );
}
