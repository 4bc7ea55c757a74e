"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import {
  acceptLive,
  appendNewer,
  initialConversation,
  prependOlder,
  replaceMessage,
  replaceWindow,
  updateReactions,
  type ConversationState,
  type PendingMessage,
  type ReadPointers,
} from "@/lib/chat/message-list-state";
import { useChatChannel, useUserChannel } from "@/lib/realtime/hooks";
import { useTRPC, useTRPCClient } from "@/lib/trpc/react";
import type { MessageView, TimelinePage } from "@/contracts/messages";

import { PAGE_SIZE } from "./page-size";
import { sendFields, usePendingSends } from "./use-pending-sends";
const TYPING_TIMEOUT_MS = 6_000;

export interface Typist {
  userId: string;
  name: string;
}

/**
 * Everything one open conversation needs: its messages (first page from the server render,
 * newer ones exactly once through realtime gap-fill, older ones on scroll-back, or the page
 * around one message after a jump, with newer ones held until the reader returns), optimistic
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
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [loadingNewer, setLoadingNewer] = useState(false);
  /**
   * Counts requests for a new window (a jump to a message, back to the latest): only the
   * answer to the last one asked may replace what is on screen.
   */
  const windowRequest = useRef(0);
  /** The message to bring into view once it is rendered; a new nonce repeats a jump. */
  const [target, setTarget] = useState<{ seq: number; nonce: number } | null>(null);
  /** A jump that led into a thread: the reply to show there, beside its root. */
  const [threadTarget, setThreadTarget] = useState<{
    rootId: string;
    rootSeq: number;
    seq: number;
    nonce: number;
  } | null>(null);
  const jumps = useRef(0);
  const [typists, setTypists] = useState<Typist[]>([]);
  const typingTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const [pointerUpdates, setPointerUpdates] = useState<
    Record<string, { lastReadSeq: number; lastDeliveredSeq: number }>
  >({});

  const refreshChat = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.chats.get.queryKey({ chatId }) });
  }, [queryClient, trpc, chatId]);

  /** Brand-new messages: shown when the latest messages are on screen, held otherwise. */
  const accept = useCallback((messages: MessageView[]) => {
    setState((s) => acceptLive(s, messages));
  }, []);

  /** Only messages already on screen (or held) are replaced: anything else would leave a gap. */
  const replace = useCallback((message: MessageView) => {
    setState((s) => replaceMessage(s, message));
  }, []);

  /** A message changed (edit, delete, reaction): fetch it again, as this user may see it. */
  const refetchMessage = useCallback(
    async (seq: number) => {
      const page = await client.messages.list.query({ chatId, after: seq - 1, limit: 1 });
      const message = page.messages.find((m) => m.seq === seq);
      if (message) replace(message);
    },
    [client, chatId, replace],
  );

  /**
   * A message changed for me alone (a thread's root I follow or read, one I saved in another
   * tab): fetched again if shown.
   */
  const refetchShown = useCallback(
    async (messageId: string) => {
      if (!stateRef.current.messages.some((m) => m.id === messageId)) return;
      replace(await client.messages.get.query({ messageId }));
    },
    [client, replace],
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
      accept(messages);
      const fromOthers = messages.filter((m) => m.sender?.id !== myId);
      for (const m of fromOthers) if (m.sender) stopTypist(m.sender.id);
      const top = fromOthers.at(-1)?.seq ?? 0;
      if (top > delivered.current) {
        delivered.current = top;
        markDelivered.mutate({ chatId, seq: top });
      }
    },
    "message.created": ({ threadRootId }) => {
      if (!threadRootId) return;
      void refetchShown(threadRootId).catch(() => undefined);
      void queryClient.invalidateQueries({
        queryKey: trpc.threads.list.infiniteQueryKey({ chatId }),
      });
    },
    "message.updated": ({ seq }) => void refetchMessage(seq),
    "message.deleted": ({ seq }) => void refetchMessage(seq),
    "reaction.changed": ({ seq }) => void refetchMessage(seq),
    "pin.changed": ({ seq }) => {
      void refetchMessage(seq);
      void queryClient.invalidateQueries({ queryKey: trpc.pins.list.queryKey({ chatId }) });
    },
    "member.read": ({ userId, lastReadSeq, lastDeliveredSeq }) =>
      setPointerUpdates((p) => ({ ...p, [userId]: { lastReadSeq, lastDeliveredSeq } })),
    "member.changed": refreshChat,
    "member.status": refreshChat,
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

  useUserChannel({
    "thread.changed": (change) => {
      if (change.chatId === chatId) void refetchShown(change.rootId).catch(() => undefined);
    },
    "saved.changed": (change) => {
      if (change.chatId === chatId) void refetchShown(change.messageId).catch(() => undefined);
    },
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
      setState((s) => prependOlder(s, page, first.seq));
    } catch (error) {
      toast.error(`Could not load older messages: ${errorMessage(error)}`);
    } finally {
      setLoadingOlder(false);
    }
  }, [client, chatId, state.hasOlder, state.messages, loadingOlder]);

  /** The next page below a window of older history; the last one makes it live again. */
  const loadNewer = useCallback(async () => {
    const last = state.messages.at(-1);
    if (!state.hasNewer || loadingNewer || !last) return;
    setLoadingNewer(true);
    try {
      const page = await client.messages.list.query({ chatId, after: last.seq, limit: PAGE_SIZE });
      setState((s) => appendNewer(s, page, last.seq));
    } catch (error) {
      toast.error(`Could not load newer messages: ${errorMessage(error)}`);
    } finally {
      setLoadingNewer(false);
    }
  }, [client, chatId, state.hasNewer, state.messages, loadingNewer]);

  /** Replaces the window with `load`'s page, unless another window was asked for meanwhile. */
  const showWindow = useCallback(
    async (
      load: () => Promise<{ messages: MessageView[]; hasOlder: boolean; hasNewer: boolean }>,
    ) => {
      const request = ++windowRequest.current;
      const page = await load();
      if (request !== windowRequest.current) return false;
      setState((s) => replaceWindow(s, page));
      return true;
    },
    [],
  );

  /** Back to the newest page, as when the chat opened; false when that failed. */
  const jumpToLatest = useCallback(async () => {
    if (!state.hasNewer) {
      // Already there: a jump still on its way would take the reader away again.
      windowRequest.current += 1;
      return true;
    }
    try {
      return await showWindow(() => client.messages.list.query({ chatId, limit: PAGE_SIZE }));
    } catch (error) {
      toast.error(`Could not load the latest messages: ${errorMessage(error)}`);
      return false;
    }
  }, [client, chatId, state.hasNewer, showWindow]);

  /**
   * Brings message `seq` into view: at once when it is loaded, otherwise after loading the
   * page around it, which becomes the window on screen.
   */
  const jumpTo = useCallback(
    async (seq: number) => {
      const nonce = ++jumps.current;
      if (state.messages.some((m) => m.seq === seq)) {
        // Whatever window was on its way would take the message off screen again.
        windowRequest.current += 1;
        setTarget({ seq, nonce });
        return;
      }
      try {
        const found: { inThread: TimelinePage["inThread"] } = { inThread: null };
        const shown = await showWindow(async () => {
          const page = await client.messages.list.query({ chatId, around: seq, limit: PAGE_SIZE });
          found.inThread = page.inThread;
          return page;
        });
        if (!shown) return;
        // A reply in a thread: its root in the conversation, the reply in the thread.
        const reply = found.inThread;
        setTarget({ seq: reply?.rootSeq ?? seq, nonce });
        if (reply) setThreadTarget({ ...reply, nonce });
      } catch (error) {
        toast.error(`Could not open that message: ${errorMessage(error)}`);
      }
    },
    [client, chatId, state.messages, showWindow],
  );

  const post = useCallback(
    (item: PendingMessage) => client.messages.send.mutate({ chatId, ...sendFields(item) }),
    [client, chatId],
  );
  const onSent = useCallback((message: MessageView) => channel.ingest([message]), [channel]);
  const sends = usePendingSends({
    chatId,
    myId,
    pending: state.pending,
    setState,
    post,
    onSent,
  });
  const { retry, discard } = sends;

  const send = useCallback(
    (content: string, replyToId: string | null, attachments: PendingMessage["attachments"]) => {
      sends.send(content, replyToId, attachments);
      channel.stopTyping();
      // A message sent while reading old history goes to the latest ones, and so does the reader.
      void jumpToLatest();
    },
    [sends, channel, jumpToLatest],
  );

  const setReactions = useCallback(
    (messageId: string, reactions: MessageView["reactions"]) =>
      setState((s) => updateReactions(s, messageId, reactions)),
    [],
  );

  return {
    chat,
    state,
    pointers,
    typists,
    loadingOlder,
    loadingNewer,
    /** The window on screen is older history, not the latest messages. */
    detached: state.hasNewer,
    /** New messages waiting below a window of older history. */
    heldCount: state.held.length,
    target,
    threadTarget,
    channel,
    loadOlder,
    loadNewer,
    jumpTo,
    jumpToLatest,
    send,
    retry,
    discard,
    setReactions,
    replace,
    refetchMessage,
  };
}

export type Conversation = ReturnType<typeof useConversation>;
