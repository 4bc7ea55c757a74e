"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import {
  acceptLive,
  addPending,
  discardPending,
  initialConversation,
  markPending,
  prependOlder,
  replaceMessage,
  updateReactions,
  type ConversationState,
  type PendingMessage,
} from "@/lib/chat/message-list-state";
import { isTransientFailure } from "@/lib/trpc/transient-error-toast";
import { useChatChannel } from "@/lib/realtime/hooks";
import { useTRPC, useTRPCClient } from "@/lib/trpc/react";
import { messageIdFor } from "@/contracts/message-ids";
import type { MessageView } from "@/contracts/messages";
import type { ThreadPage } from "@/contracts/threads";
import { PAGE_SIZE } from "./page-size";

/**
 * One open thread: its root, its replies (the latest page first, older ones on scroll-back,
 * newer ones exactly once through realtime gap-fill of the thread's own events), optimistic
 * replies with retry, and whether the caller follows it.
 */
export function useThread(chatId: string, firstPage: ThreadPage, myId: string) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const rootId = firstPage.root.id;
  const [root, setRoot] = useState(firstPage.root);
  const [following, setFollowing] = useState(firstPage.following);
  const [state, setState] = useState<ConversationState>(() => initialConversation(firstPage));
  const [loadingOlder, setLoadingOlder] = useState(false);

  const refreshLists = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.chats.list.infiniteQueryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.threads.list.infiniteQueryKey() });
  }, [queryClient, trpc]);

  const refetchRoot = useCallback(async () => {
    const fresh = await client.messages.get.query({ messageId: rootId });
    setRoot(fresh);
    setFollowing(fresh.thread?.following ?? following);
  }, [client, rootId, following]);

  /** A message of the thread changed (edit, delete, reaction, pin): fetched again as I see it. */
  const refetch = useCallback(
    async (messageId: string) => {
      if (messageId === rootId) return refetchRoot();
      if (!state.messages.some((m) => m.id === messageId)) return;
      const fresh = await client.messages.get.query({ messageId });
      setState((s) => replaceMessage(s, fresh));
    },
    [client, rootId, refetchRoot, state.messages],
  );

  const channel = useChatChannel(chatId, {
    threadRootId: rootId,
    afterSeq: firstPage.lastSeq,
    onMessages: (messages) => {
      setState((s) => acceptLive(s, messages));
      // The root's count and faces changed with them.
      void refetchRoot().catch(() => undefined);
    },
    "message.updated": ({ messageId }) => void refetch(messageId).catch(() => undefined),
    "message.deleted": ({ messageId }) => void refetch(messageId).catch(() => undefined),
    "reaction.changed": ({ messageId }) => void refetch(messageId).catch(() => undefined),
    "pin.changed": ({ messageId }) => void refetch(messageId).catch(() => undefined),
  });

  const loadOlder = useCallback(async () => {
    const first = state.messages[0];
    if (!state.hasOlder || loadingOlder || !first) return;
    setLoadingOlder(true);
    try {
      const page = await client.threads.get.query({ rootId, before: first.seq, limit: PAGE_SIZE });
      setState((s) => prependOlder(s, page, first.seq));
    } catch (error) {
      toast.error(`Could not load older replies: ${errorMessage(error)}`);
    } finally {
      setLoadingOlder(false);
    }
  }, [client, rootId, state.hasOlder, state.messages, loadingOlder]);

  const deliver = useCallback(
    async (pending: PendingMessage) => {
      const { id, clientKey, content, replyToId, attachments } = pending;
      try {
        const message = await client.messages.send.mutate({
          chatId,
          clientKey,
          content,
          threadRootId: rootId,
          ...(replyToId ? { replyToId } : {}),
          ...(attachments.length > 0 ? { attachmentIds: attachments.map((a) => a.id) } : {}),
        });
        setState((s) => acceptLive(s, [message]));
        channel.ingest([message]);
        // Replying follows the thread.
        setFollowing(true);
        refreshLists();
      } catch (error) {
        setState((s) =>
          markPending(s, id, {
            state: "failed",
            error: errorMessage(error),
            retryable: isTransientFailure(error),
          }),
        );
      }
    },
    [client, chatId, rootId, channel, refreshLists],
  );

  const send = useCallback(
    (content: string, replyToId: string | null, attachments: PendingMessage["attachments"]) => {
      const clientKey = crypto.randomUUID();
      const pending: PendingMessage = {
        id: messageIdFor(myId, clientKey),
        clientKey,
        chatId,
        content,
        replyToId,
        attachments,
        createdAt: new Date(),
        state: "sending",
      };
      setState((s) => addPending(s, pending));
      void deliver(pending);
    },
    [chatId, myId, deliver],
  );

  const retry = useCallback(
    (id: string) => {
      const pending = state.pending.find((p) => p.id === id);
      if (!pending) return;
      setState((s) =>
        markPending(s, id, { state: "sending", error: undefined, retryable: undefined }),
      );
      void deliver(pending);
    },
    [state.pending, deliver],
  );

  // Back online: replies that failed only because the connection was down go again.
  useEffect(() => {
    const resend = () => {
      for (const pending of state.pending) {
        if (pending.state === "failed" && pending.retryable) retry(pending.id);
      }
    };
    window.addEventListener("online", resend);
    return () => window.removeEventListener("online", resend);
  }, [state.pending, retry]);

  const setFollow = useCallback(
    async (next: boolean) => {
      try {
        const result = await client.threads.follow.mutate({ rootId, following: next });
        setFollowing(result.following);
        refreshLists();
        toast.success(result.following ? "Following the thread" : "No longer following the thread");
      } catch (error) {
        toast.error(errorMessage(error));
      }
    },
    [client, rootId, refreshLists],
  );

  /** The newest reply seen: the thread is read up to it (when followed; else nothing to mark). */
  const readUpTo = useRef(0);
  const markRead = useCallback(
    (seq: number) => {
      if (!following || seq <= readUpTo.current) return;
      readUpTo.current = seq;
      client.threads.markRead
        .mutate({ rootId, seq })
        .then(refreshLists)
        .catch(() => {
          // Not marked: the next reply seen marks it again.
          readUpTo.current = 0;
        });
    },
    [client, rootId, following, refreshLists],
  );

  return {
    root,
    following,
    state,
    loadingOlder,
    loadOlder,
    send,
    retry,
    discard: (id: string) => setState((s) => discardPending(s, id)),
    replace: (message: MessageView) =>
      message.id === rootId ? setRoot(message) : setState((s) => replaceMessage(s, message)),
    setReactions: (messageId: string, reactions: MessageView["reactions"]) =>
      messageId === rootId
        ? setRoot((r) => ({ ...r, reactions }))
        : setState((s) => updateReactions(s, messageId, reactions)),
    refetch,
    setFollow,
    markRead,
  };
}

export type Thread = ReturnType<typeof useThread>;
