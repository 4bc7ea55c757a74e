"use client";

import { useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import { useTRPCClient } from "@/lib/trpc/react";
import type { MessageView } from "@/contracts/messages";
import type { ChannelHandle, SubscribeStatus } from "./channel-registry";
import { createChatSync, seqFromEvent, type ChatSync } from "./chat-sync";
import {
  CHAT_EVENTS,
  chatTopic,
  presenceTopic,
  userTopic,
  type ChatEvents,
  type EventHandlers,
  type UserEvents,
  USER_EVENTS,
} from "./events";
import { NOT_YET_KNOWN, samePeople, toOnline, type OnlineUsers } from "./online";
import { useRealtime, useRealtimeStatus } from "./provider";

export type { OnlineUsers } from "./online";

/** "idle" until the channel reports anything (or while there is no chat). */
export type ChannelState = SubscribeStatus | "idle";

interface StatusHandlers {
  onStatus?: (status: SubscribeStatus, error?: Error) => void;
  /** Each join; `resumed` after a drop, when events may have been missed meanwhile. */
  onSubscribed?: (info: { resumed: boolean }) => void;
}

export interface ChatChannelOptions extends EventHandlers<ChatEvents>, StatusHandlers {
  /**
   * Turns gap-fill on: new messages, each exactly once and in seq order, including the ones
   * sent while the socket was away. Fetched through `messages.list`.
   */
  onMessages?: (messages: MessageView[]) => void;
  /** The last seq already on screen; read when the chat opens. Defaults to 0 (everything). */
  afterSeq?: number;
  /**
   * Gap-fill one thread's replies (through `threads.get`) instead of the timeline; read when
   * the channel opens.
   */
  threadRootId?: string;
  onSyncError?: (error: unknown) => void;
}

export interface ChatChannel {
  status: ChannelState;
  /** Call on each keystroke: sends `typing` at most every few seconds. */
  typing(): void;
  stopTyping(): void;
  /** Hand over messages obtained elsewhere (one's own send) so they are not shown twice. */
  ingest(messages: MessageView[]): void;
}

const TYPING_RESEND_MS = 3_000;
const FILL_PAGE_SIZE = 100;

export function useChatChannel(chatId: string | null, options: ChatChannelOptions): ChatChannel {
  const { realtime } = useRealtime();
  const trpcClient = useTRPCClient();
  const [status, setStatus] = useState<ChannelState>("idle");
  const handle = useRef<ChannelHandle | null>(null);
  const sync = useRef<ChatSync<MessageView> | null>(null);
  const typingSentAt = useRef(0);
  const wantsSync = options.onMessages !== undefined;

  const onEvent = useEffectEvent((event: string, payload: Record<string, unknown>) =>
    dispatch<ChatEvents>(options, CHAT_EVENTS, event, payload),
  );
  const onStatus = useEffectEvent((status: SubscribeStatus, error?: Error) =>
    options.onStatus?.(status, error),
  );
  const onSubscribed = useEffectEvent((resumed: boolean) => options.onSubscribed?.({ resumed }));
  const onMessages = useEffectEvent((messages: MessageView[]) => options.onMessages?.(messages));
  const onSyncError = useEffectEvent((error: unknown) => options.onSyncError?.(error));
  const startSeq = useEffectEvent(() => options.afterSeq ?? 0);
  const threadRootId = options.threadRootId ?? null;
  // A socket that survived a spell offline does not rejoin, yet may have lost events.
  useOnReconnect(() => sync.current?.handleSubscribed(), { firstConnect: false });

  useEffect(() => {
    if (!realtime || !chatId) return;
    const chatSync = wantsSync
      ? createChatSync<MessageView>({
          chatId,
          initialSeq: startSeq(),
          fetchAfter: async (after) => {
            const page = threadRootId
              ? await trpcClient.threads.get.query({
                  rootId: threadRootId,
                  after,
                  limit: FILL_PAGE_SIZE,
                })
              : await trpcClient.messages.list.query({ chatId, after, limit: FILL_PAGE_SIZE });
            return { items: page.messages, hasNewer: page.hasNewer, lastSeq: page.lastSeq };
          },
          onMessages: (messages) => onMessages(messages),
          onError: (error) => onSyncError(error),
        })
      : null;
    let joins = 0;
    const channel = realtime.channels.acquire(chatTopic(chatId), {
      onStatus: (next, error) => {
        setStatus(next);
        onStatus(next, error);
        if (next !== "SUBSCRIBED") return;
        chatSync?.handleSubscribed();
        onSubscribed(joins++ > 0);
      },
      onBroadcast: (event, payload) => {
        const seq = seqFromEvent(event, payload, threadRootId);
        if (seq !== null) chatSync?.noteSeq(seq);
        onEvent(event, payload);
      },
    });
    handle.current = channel;
    sync.current = chatSync;
    return () => {
      channel.release();
      chatSync?.dispose();
      handle.current = null;
      sync.current = null;
      typingSentAt.current = 0;
      setStatus("idle");
    };
  }, [realtime, chatId, wantsSync, trpcClient, threadRootId]);

  return useMemo(
    () => ({
      status,
      typing: () => {
        const now = Date.now();
        if (now - typingSentAt.current < TYPING_RESEND_MS) return;
        typingSentAt.current = now;
        void handle.current?.send("typing");
      },
      stopTyping: () => {
        if (typingSentAt.current === 0) return;
        typingSentAt.current = 0;
        void handle.current?.send("typing.stop");
      },
      ingest: (messages: MessageView[]) => sync.current?.ingest(messages),
    }),
    [status],
  );
}

/**
 * Runs `callback` when live updates start or come back: the moment to refetch whatever
 * events may have been lost meanwhile. That includes the first connect after the page
 * loaded: what the server rendered is older than the join, and an event sent in between (a
 * message, a read in another tab) reached no one, so a count shown from it would stay stale
 * until the next event. `firstConnect: false` leaves the first connect out, for a caller that
 * catches up on its own join.
 */
export function useOnReconnect(
  callback: () => void,
  { firstConnect = true }: { firstConnect?: boolean } = {},
): void {
  const status = useRealtimeStatus();
  // "Down" until first connected: mounted before the first join, that join is a catch-up.
  const wasDown = useRef(firstConnect && status !== "connected");
  const run = useEffectEvent(callback);
  useEffect(() => {
    if (status === "reconnecting" || status === "offline") wasDown.current = true;
    else if (status === "connected" && wasDown.current) {
      wasDown.current = false;
      run();
    }
  }, [status]);
}

export type UserChannelHandlers = EventHandlers<UserEvents> & StatusHandlers;

/** The signed-in user's own topic: chat list changes, unread counts, added/removed chats. */
export function useUserChannel(handlers: UserChannelHandlers): ChannelState {
  const { realtime, userId } = useRealtime();
  const [status, setStatus] = useState<ChannelState>("idle");
  const onEvent = useEffectEvent((event: string, payload: Record<string, unknown>) =>
    dispatch<UserEvents>(handlers, USER_EVENTS, event, payload),
  );
  const onStatus = useEffectEvent((status: SubscribeStatus, error?: Error) =>
    handlers.onStatus?.(status, error),
  );
  const onSubscribed = useEffectEvent((resumed: boolean) => handlers.onSubscribed?.({ resumed }));

  useEffect(() => {
    if (!realtime) return;
    let joins = 0;
    const channel = realtime.channels.acquire(userTopic(userId), {
      onStatus: (next, error) => {
        setStatus(next);
        onStatus(next, error);
        if (next === "SUBSCRIBED") onSubscribed(joins++ > 0);
      },
      onBroadcast: (event, payload) => onEvent(event, payload),
    });
    return () => {
      channel.release();
      setStatus("idle");
    };
  }, [realtime, userId]);

  return status;
}

export type Presence = "online" | "offline" | null;

/** Whether a user is online, offline, or not known yet (null, before the first presence state). */
export function presenceOf(online: OnlineUsers, userId: string): Presence {
  if (userId in online.byId) return "online";
  return online.known ? "offline" : null;
}

/** How a presence is said: nothing while it is not known. */
export function presenceLabel(presence: Presence): "Online" | "Offline" | null {
  return presence === null ? null : presence === "online" ? "Online" : "Offline";
}

/** Who is online in this workspace; with `track`, counts this user in while mounted. */
export function usePresence(options: { track?: boolean } = {}): OnlineUsers {
  const { realtime, organizationId } = useRealtime();
  const [online, setOnline] = useState<OnlineUsers>(NOT_YET_KNOWN);
  const track = options.track === true;

  useEffect(() => {
    if (!realtime || !organizationId) return;
    const channel = realtime.channels.acquire(
      presenceTopic(organizationId),
      { onPresence: (state) => setOnline((previous) => samePeople(previous, toOnline(state))) },
      { presence: true, track },
    );
    return () => channel.release();
  }, [realtime, organizationId, track]);

  return online;
}

/** Calls the handler named after the event. The server is the only author of these events. */
function dispatch<Events>(
  handlers: EventHandlers<Events>,
  known: ReadonlySet<string>,
  event: string,
  payload: Record<string, unknown>,
): void {
  // Only event names: the handler objects also hold onStatus, onMessages and the like.
  if (!known.has(event)) return;
  const handler = (handlers as Record<string, ((payload: unknown) => void) | undefined>)[event];
  if (typeof handler === "function") handler(payload);
}
