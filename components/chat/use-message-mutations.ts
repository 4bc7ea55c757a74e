"use client";

import { useCallback } from "react";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPCClient } from "@/lib/trpc/react";
import type { MessageView } from "@/contracts/messages";

/**
 * What a member does to one message of a list (the conversation, a thread), each answer put
 * in the list at once: `replace` for the whole message, `setReactions` for its reactions.
 */
export function useMessageMutations({
  replace,
  setReactions,
}: {
  replace: (message: MessageView) => void;
  setReactions: (messageId: string, reactions: MessageView["reactions"]) => void;
}) {
  const client = useTRPCClient();

  /** Adds my reaction with `emoji`, or takes it back if it is there. */
  const react = useCallback(
    async (message: MessageView, emoji: string) => {
      const mine = message.reactions.find((r) => r.emoji === emoji)?.reactedByMe ?? false;
      try {
        const result = mine
          ? await client.messages.unreact.mutate({ messageId: message.id, emoji })
          : await client.messages.react.mutate({ messageId: message.id, emoji });
        setReactions(result.messageId, result.reactions);
      } catch (error) {
        toast.error(errorMessage(error));
      }
    },
    [client, setReactions],
  );

  /** Saves new text for one of my messages; false (and said why) when it was not saved. */
  const edit = useCallback(
    async (message: MessageView, content: string): Promise<boolean> => {
      try {
        replace(await client.messages.edit.mutate({ messageId: message.id, content }));
        return true;
      } catch (error) {
        toast.error(`Not saved: ${errorMessage(error)}`);
        return false;
      }
    },
    [client, replace],
  );

  /** Deletes a message (the confirmation dialog shows a failure). */
  const remove = useCallback(
    async (message: MessageView) => {
      replace(await client.messages.delete.mutate({ messageId: message.id }));
    },
    [client, replace],
  );

  return { react, edit, remove };
}
