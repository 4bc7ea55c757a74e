"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { errorMessage } from "@/lib/forms";
import {
  addPending,
  discardPending,
  initialConversation,
  markPending,
  mergeMessages,
  prependOlder,
  updateReactions,
  type ConversationState,
  type PendingMessage,
  type ReadPointers,
} from "@/lib/chat/message-list-state";
import { useChatChannel } from "@/lib/realtime/hooks";
import { useTRPC, useTRPCClient } from "@/lib/trpc/react";
import type { MessageView } from "@/server/contracts/messages";

import { PAGE_SIZE } from "./page-size";
const TYPING_TIMEOUT_MS = 6_000;

export interface Typist {
  userId: string;
  name: string;
}

/**
 * Everything one open conversation needs: its messages (first page from the server render,
 * newer ones exactly once through realtime gap-fill, older ones on scroll-back), optimistic
 * sends with retry, the members' read pointers for message status, and who is typing.
 */
export function useConversation(chatId: string, myId: string) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { data: firstPage } = useSuspenseQuery(
    trpc.messages.list.queryOptions({ chatId, limit: PAGE_SIZE }),
  );
  const { data: chat } = useSuspenseQuery(trpc.chats.get.queryOptions({ chatId }));
  const [state, setState] = useState<ConversationState>(() => initialConversation(firstPage));
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [typists, setTypists] = useState<Typist[]>([]);
  const typingTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const [pointerUpdates, setPointerUpdates] = useState<
    Record<string, { lastReadSeq: number; lastDeliveredSeq: number }>
  >({});

  const refreshChat = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.chats.get.queryKey({ chatId }) });
  }, [queryClient, trpc, chatId]);

  /** A message changed (edit, delete, reaction): fetch it again, as this user may see it. */
  const refetchMessage = useCallback(
    async (seq: number) => {
      const page = await client.messages.list.query({ chatId, after: seq - 1, limit: 1 });
      setState((s) =>
        mergeMessages(
          s,
          page.messages.filter((m) => m.seq === seq),
        ),
      );
    },
    [client, chatId],
  );

  const stopTypist = useCallback((userId: string) => {
    const timer = typingTimers.current.get(userId);
    if (timer) clearTimeout(timer);
    typingTimers.current.delete(userId);
    setTypists((list) => list.filter((t) => t.userId !== userId));
  }, []);

  const markDelivered = useMutation(trpc.chats.markDelivered.mutationOptions());
  const delivered = useRef(chat.lastDeliveredSeq);

  const channel = useChatChannel(chatId, {
    afterSeq: firstPage.lastSeq,
    onMessages: (messages) => {
      setState((s) => mergeMessages(s, messages));
      const fromOthers = messages.filter((m) => m.sender?.id !== myId);
      for (const m of fromOthers) if (m.sender) stopTypist(m.sender.id);
      const top = fromOthers.at(-1)?.seq ?? 0;
      if (top > delivered.current) {
        delivered.current = top;
        markDelivered.mutate({ chatId, seq: top });
      }
    },
    "message.updated": ({ seq }) => void refetchMessage(seq),
    "message.deleted": ({ seq }) => void refetchMessage(seq),
    "reaction.changed": ({ seq }) => void refetchMessage(seq),
    "member.read": ({ userId, lastReadSeq, lastDeliveredSeq }) =>
      setPointerUpdates((p) => ({ ...p, [userId]: { lastReadSeq, lastDeliveredSeq } })),
    "member.changed": refreshChat,
    "chat.updated": refreshChat,
    typing: ({ userId, name }) => {
      if (userId === myId) return;
      const previous = typingTimers.current.get(userId);
      if (previous) clearTimeout(previous);
      typingTimers.current.set(
        userId,
        setTimeout(() => stopTypist(userId), TYPING_TIMEOUT_MS),
      );
      setTypists((list) =>
        list.some((t) => t.userId === userId) ? list : [...list, { userId, name }],
      );
    },
    "typing.stop": ({ userId }) => stopTypist(userId),
  });

  useEffect(() => {
    const timers = typingTimers.current;
    return () => {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    };
  }, []);

  const pointers: ReadPointers = useMemo(
    () => ({
      others: chat.members
        .filter((m) => m.userId !== myId)
        .map((m) => {
          const live = pointerUpdates[m.userId];
          return {
            userId: m.userId,
            lastReadSeq: Math.max(m.lastReadSeq, live?.lastReadSeq ?? 0),
            lastDeliveredSeq: Math.max(m.lastDeliveredSeq, live?.lastDeliveredSeq ?? 0),
          };
        }),
    }),
    [chat.members, pointerUpdates, myId],
  );

  const loadOlder = useCallback(async () => {
    const first = state.messages[0];
    if (!state.hasOlder || loadingOlder || !first) return;
    setLoadingOlder(true);
    try {
      const page = await client.messages.list.query({
        chatId,
        before: first.seq,
        limit: PAGE_SIZE,
      });
      setState((s) => prependOlder(s, page));
    } finally {
      setLoadingOlder(false);
    }
  }, [client, chatId, state.hasOlder, state.messages, loadingOlder]);

  const deliver = useCallback(
    async (pending: PendingMessage) => {
      const { id, content, replyToId, attachments } = pending;
      try {
        const message = await client.messages.send.mutate({
          chatId,
          id,
          content,
          ...(replyToId ? { replyToId } : {}),
          ...(attachments.length > 0 ? { attachmentIds: attachments.map((a) => a.id) } : {}),
        });
        setState((s) => mergeMessages(s, [message]));
        channel.ingest([message]);
      } catch (error) {
        setState((s) => markPending(s, id, { state: "failed", error: errorMessage(error) }));
      }
    },
    [client, chatId, channel],
  );

  /** Shows the message at once; the server keeps the browser's id, so a retry never doubles. */
  const send = useCallback(
    (content: string, replyToId: string | null, attachments: PendingMessage["attachments"]) => {
      const pending: PendingMessage = {
        id: crypto.randomUUID(),
        chatId,
        content,
        replyToId,
        attachments,
        createdAt: new Date(),
        state: "sending",
      };
      setState((s) => addPending(s, pending));
      channel.stopTyping();
      void deliver(pending);
    },
    [chatId, channel, deliver],
  );

  const retry = useCallback(
    (id: string) => {
      const pending = state.pending.find((p) => p.id === id);
      if (!pending) return;
      setState((s) => markPending(s, id, { state: "sending", error: undefined }));
      void deliver(pending);
    },
    [state.pending, deliver],
  );

  const discard = useCallback((id: string) => setState((s) => discardPending(s, id)), []);

  const setReactions = useCallback(
    (messageId: string, reactions: MessageView["reactions"]) =>
      setState((s) => updateReactions(s, messageId, reactions)),
    [],
  );

  const replace = useCallback((message: MessageView) => {
    setState((s) => mergeMessages(s, [message]));
  }, []);

  return {
    chat,
    state,
    pointers,
    typists,
    loadingOlder,
    channel,
    loadOlder,
    send,
    retry,
    discard,
    setReactions,
    replace,
    refetchMessage,
  };
}

export type Conversation = ReturnType<typeof useConversation>;
