"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import {
  acceptLive,
  initialConversation,
  prependOlder,
  replaceMessage,
  updateReactions,
  type ConversationState,
  type PendingMessage,
} from "@/lib/chat/message-list-state";
import { useChatChannel } from "@/lib/realtime/hooks";
import { useTRPC, useTRPCClient } from "@/lib/trpc/react";
import type { MessageView } from "@/contracts/messages";
import type { ThreadPage } from "@/contracts/threads";
import { PAGE_SIZE } from "./page-size";
import { sendFields, usePendingSends } from "./use-pending-sends";

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

  const post = useCallback(
    (item: PendingMessage) =>
      client.messages.send.mutate({ chatId, threadRootId: rootId, ...sendFields(item) }),
    [client, chatId, rootId],
  );
  const onSent = useCallback(
    (message: MessageView) => {
      channel.ingest([message]);
      // Replying follows the thread.
      setFollowing(true);
      refreshLists();
    },
    [channel, refreshLists],
  );
  const { send, retry, discard } = usePendingSends({
    chatId,
    myId,
    pending: state.pending,
    setState,
    post,
    onSent,
  });

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
    discard,
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
