"use client";

import { useCallback, useEffect, type Dispatch, type SetStateAction } from "react";
import { errorMessage } from "@/lib/forms";
import {
  acceptLive,
  addPending,
  discardPending,
  markPending,
  type ConversationState,
  type PendingMessage,
} from "@/lib/chat/message-list-state";
import { isTransientFailure } from "@/lib/trpc/transient-error-toast";
import { messageIdFor } from "@/contracts/message-ids";
import type { MessageView } from "@/contracts/messages";

/** What a send carries besides its text: the message quoted and the files uploaded for it. */
export type SendExtras = Pick<PendingMessage, "replyToId" | "attachments">;

/**
 * Optimistic sends for a list of messages (a conversation, a thread): a message shows at once
 * under the id the server will store it with (derived from the sender and the key), so a
 * retry never doubles and realtime's copy replaces it; a failure says why and offers a retry,
 * and what failed only because the connection was down goes again once it is back.
 */
export function usePendingSends({
  chatId,
  myId,
  pending,
  setState,
  post,
  onSent,
}: {
  chatId: string;
  myId: string;
  pending: PendingMessage[];
  setState: Dispatch<SetStateAction<ConversationState>>;
  /** Stores the message on the server (with its key: a retry is the same message). */
  post: (pending: PendingMessage) => Promise<MessageView>;
  onSent: (message: MessageView) => void;
}) {
  const deliver = useCallback(
    async (item: PendingMessage) => {
      try {
        const message = await post(item);
        setState((s) => acceptLive(s, [message]));
        onSent(message);
      } catch (error) {
        setState((s) =>
          markPending(s, item.id, {
            state: "failed",
            error: errorMessage(error),
            retryable: isTransientFailure(error),
          }),
        );
      }
    },
    [post, onSent, setState],
  );

  const send = useCallback(
    (content: string, replyToId: string | null, attachments: PendingMessage["attachments"]) => {
      const clientKey = crypto.randomUUID();
      const item: PendingMessage = {
        id: messageIdFor(myId, clientKey),
        clientKey,
        chatId,
        content,
        replyToId,
        attachments,
        createdAt: new Date(),
        state: "sending",
      };
      setState((s) => addPending(s, item));
      void deliver(item);
    },
    [chatId, myId, deliver, setState],
  );

  const retry = useCallback(
    (id: string) => {
      const item = pending.find((p) => p.id === id);
      if (!item) return;
      setState((s) =>
        markPending(s, id, { state: "sending", error: undefined, retryable: undefined }),
      );
      void deliver(item);
    },
    [pending, deliver, setState],
  );

  // Back online: what failed only because the connection was down is sent again, with the
  // same key, so none of it is sent twice.
  useEffect(() => {
    const resend = () => {
      for (const item of pending) {
        if (item.state === "failed" && item.retryable) retry(item.id);
      }
    };
    window.addEventListener("online", resend);
    return () => window.removeEventListener("online", resend);
  }, [pending, retry]);

  const discard = useCallback((id: string) => setState((s) => discardPending(s, id)), [setState]);

  return { send, retry, discard };
}

/** The send's fields for `messages.send`, from a pending message. */
export function sendFields(item: PendingMessage) {
  const { clientKey, content, replyToId, attachments } = item;
  return {
    clientKey,
    content,
    ...(replyToId ? { replyToId } : {}),
    ...(attachments.length > 0 ? { attachmentIds: attachments.map((a) => a.id) } : {}),
  };
}
