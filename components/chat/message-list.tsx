"use client";

import { ArrowDown, RotateCw } from "lucide-react";
import {
  Fragment,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { Button } from "@/components/ui/button";
import { useFormatters } from "@/lib/format";
import { cn } from "@/lib/utils";
import { statusOf, type PendingMessage, type ReadPointers } from "@/lib/chat/message-list-state";
import type { MessageView } from "@/contracts/messages";
import { MessageBubble, type MessageActions } from "./message-bubble";
import { MessageStatus } from "./message-status";

/** Closer than this to the bottom counts as "at the latest message". */
const STICK_PX = 120;
const LOAD_OLDER_PX = 300;
const LOAD_NEWER_PX = 300;
/** How long a message jumped to stays marked. */
const HIGHLIGHT_MS = 4_000;
/** How long a scroll to the bottom keeps the list there while the heights settle. */
const SETTLE_MS = 600;

interface Props {
  messages: MessageView[];
  pending: PendingMessage[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => Promise<void>;
  /** The window is older history: newer messages load on scrolling down. */
  hasNewer: boolean;
  loadingNewer: boolean;
  onLoadNewer: () => Promise<void>;
  /** New messages waiting below older history. */
  heldCount: number;
  /** Replaces older history with the latest messages; false when that failed. */
  onJumpToLatest: () => Promise<boolean>;
  /** Loads message `seq` if needed and makes it the `target`. */
  onJumpTo: (seq: number) => void;
  /** The message to bring into view and mark; a new nonce repeats the jump. */
  target: { seq: number; nonce: number } | null;
  myId: string;
  isGroup: boolean;
  canModerate: boolean;
  pointers: ReadPointers;
  /** My read pointer when the chat opened: the "new messages" divider goes after it. */
  readSeqAtOpen: number;
  onVisibleLatest: (seq: number) => void;
  onRetry: (id: string) => void;
  onDiscard: (id: string) => void;
  actions: Omit<MessageActions, "onJumpTo">;
  footer?: ReactNode;
}

/** What a jump looks for. */
function jumpTarget(seq: number) {
  return { "data-jump-seq": seq };
}

/** A ring, not only a tint, marks the message jumped to. */
function jumpClassName(highlighted: boolean): string {
  return cn(
    "rounded-lg transition-colors focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring",
    highlighted && "bg-primary-soft ring-2 ring-ring ring-inset",
  );
}

/**
 * The conversation as a `role="log"` region. It opens at the first unread message (or the
 * latest), keeps the reading position while older pages load above, follows new messages
 * only while the reader is at the bottom, brings a message jumped to into view (loading
 * newer history below it on the way down), and reports the newest message actually seen.
 */
export function MessageList({
  messages,
  pending,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  hasNewer,
  loadingNewer,
  onLoadNewer,
  heldCount,
  onJumpToLatest,
  onJumpTo,
  target,
  myId,
  isGroup,
  canModerate,
  pointers,
  readSeqAtOpen,
  onVisibleLatest,
  onRetry,
  onDiscard,
  actions,
  footer,
}: Props) {
  const format = useFormatters();
  const scroller = useRef<HTMLDivElement>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** Set when the reader asked for the latest messages: follow them once they render. */
  const toLatest = useRef(false);
  const [showJump, setShowJump] = useState(false);
  const [highlight, setHighlight] = useState<{ seq: number; nonce: number } | null>(null);
  const heightBeforeOlder = useRef<number | null>(null);
  const opened = useRef(false);
  const settleFrame = useRef<number | null>(null);

  const stopSettling = useCallback(() => {
    if (settleFrame.current !== null) cancelAnimationFrame(settleFrame.current);
    settleFrame.current = null;
  }, []);

  /**
   * To the very bottom, and kept there a moment while the heights settle. Messages are laid
   * out with `content-visibility: auto`: those that come into view take their real height
   * only once rendered, frames later on a busy machine, and that moves the bottom away from
   * where the first scroll went (an end-to-end run caught the list still moving 200 ms after
   * it, short of its newest message). The reader's own wheel, touch, key or pointer ends it.
   */
  const scrollToBottom = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    stopSettling();
    const started = performance.now();
    const settle = () => {
      settleFrame.current = null;
      if (el.scrollHeight - el.clientHeight - el.scrollTop > 1) el.scrollTop = el.scrollHeight;
      atBottom.current = true;
      if (performance.now() - started < SETTLE_MS) {
        settleFrame.current = requestAnimationFrame(settle);
      }
    };
    settle();
  }, [stopSettling]);

  useEffect(() => stopSettling, [stopSettling]);

  const firstSeq = messages[0]?.seq;
  const lastSeq = messages.at(-1)?.seq ?? 0;

  // Fixed when the chat opens: the divider must not move while the reader catches up.
  const [unread] = useState(() => {
    const fresh = messages.filter((m) => m.seq > readSeqAtOpen && m.sender?.id !== myId);
    const first = fresh[0];
    return first ? { seq: first.seq, count: fresh.length } : null;
  });

  // Open at the first unread message, or at the bottom.
  useLayoutEffect(() => {
    if (opened.current) return;
    opened.current = true;
    const el = scroller.current;
    if (!el) return;
    const divider = unread ? el.querySelector<HTMLElement>("[data-testid='unread-divider']") : null;
    if (divider) divider.scrollIntoView({ block: "start" });
    else scrollToBottom();
  }, [unread, scrollToBottom]);

  // Older messages went in above: keep what the reader was looking at where it was.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || heightBeforeOlder.current === null) return;
    el.scrollTop += el.scrollHeight - heightBeforeOlder.current;
    heightBeforeOlder.current = null;
  }, [firstSeq]);

  // New messages at the bottom: follow them if the reader was there (or sent one). Pages
  // loaded below older history are not followed: the reader is still reading down to them.
  const pendingCount = pending.length;
  const pendingBefore = useRef(pendingCount);
  const wasLive = useRef(!hasNewer);
  useLayoutEffect(() => {
    const sent = pendingCount > pendingBefore.current;
    pendingBefore.current = pendingCount;
    const stayedLive = wasLive.current;
    wasLive.current = !hasNewer;
    // Sending from older history brings the latest messages back: follow them there.
    if (sent && hasNewer) toLatest.current = true;
    const el = scroller.current;
    if (!el || hasNewer) return;
    if (!((atBottom.current && stayedLive) || toLatest.current || sent)) return;
    scrollToBottom();
    toLatest.current = false;
  }, [lastSeq, pendingCount, hasNewer, scrollToBottom]);

  // A jump: bring the message into view once it is rendered, focus it and mark it a while.
  const handledJump = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (!target || handledJump.current === target.nonce) return;
    const element = scroller.current?.querySelector<HTMLElement>(`[data-jump-seq="${target.seq}"]`);
    if (!element) return;
    handledJump.current = target.nonce;
    stopSettling();
    heightBeforeOlder.current = null;
    toLatest.current = false;
    atBottom.current = false;
    element.scrollIntoView({ block: "center" });
    // Focusable from script only, so screen readers start reading at the message.
    element.tabIndex = -1;
    element.focus({ preventScroll: true });
    setHighlight(target);
    // Pictures and messages rendered on the way may have moved it: centre it once more.
    requestAnimationFrame(() => element.scrollIntoView({ block: "center" }));
  }, [target, messages, stopSettling]);

  useEffect(() => {
    if (!highlight) return;
    const timer = setTimeout(() => setHighlight(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlight]);

  const loadOlder = useCallback(async () => {
    const el = scroller.current;
    if (!el || !hasOlder || loadingOlder) return;
    heightBeforeOlder.current = el.scrollHeight;
    await onLoadOlder();
  }, [hasOlder, loadingOlder, onLoadOlder]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const distance = el.scrollHeight - el.scrollTop - el.clientHeight;
    atBottom.current = distance < STICK_PX;
    setShowJump(distance > STICK_PX * 3);
    if (el.scrollTop < LOAD_OLDER_PX) void loadOlder();
    if (distance < LOAD_NEWER_PX && hasNewer && !loadingNewer) void onLoadNewer();
  };

  // The newest message is "seen" when the bottom of the list is on screen.
  useEffect(() => {
    const target = bottom.current;
    if (!target || !scroller.current) return;
    const observer = new IntersectionObserver(
      ([entry]) => {
        if (entry?.isIntersecting && lastSeq > 0) onVisibleLatest(lastSeq);
      },
      { root: scroller.current, threshold: 0 },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [lastSeq, onVisibleLatest]);

  const jumpToLatest = () => {
    const el = scroller.current;
    if (!el) return;
    // The button goes away: keep the keyboard in the conversation.
    el.focus({ preventScroll: true });
    if (hasNewer) {
      toLatest.current = true;
      void onJumpToLatest().then((shown) => {
        if (!shown) toLatest.current = false;
      });
    } else {
      el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
    }
  };

  const bubbleActions: MessageActions = { ...actions, onJumpTo };

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={onScroll}
        // The reader taking over ends a scroll to the bottom still settling.
        onWheel={stopSettling}
        onTouchStart={stopSettling}
        onKeyDown={stopSettling}
        onPointerDown={stopSettling}
        role="log"
        aria-label="Messages"
        tabIndex={0}
        className="h-full overflow-y-auto py-3 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring"
      >
        {hasOlder ? (
          <div className="flex justify-center py-2">
            <Button
              variant="ghost"
              size="sm"
              disabled={loadingOlder}
              onClick={() => void loadOlder()}
            >
              {loadingOlder ? "Loading older messages…" : "Load older messages"}
            </Button>
          </div>
        ) : messages.length > 0 ? (
          <p className="py-4 text-center text-xs text-muted-foreground">
            This is the beginning of the conversation.
          </p>
        ) : null}
        {messages.length === 0 && pending.length === 0 ? (
          <p className="px-6 py-10 text-center text-sm text-muted-foreground">
            No messages yet. Say hello!
          </p>
        ) : null}
        {messages.map((message, index) => {
          const previous = messages[index - 1];
          const newDay =
            !previous || format.dayOf(previous.createdAt) !== format.dayOf(message.createdAt);
          const mine = message.sender?.id === myId;
          const sameSender =
            !newDay && previous?.sender?.id === message.sender?.id && previous.type !== "system";
          const computed = mine ? statusOf(message.seq, pointers) : null;
          return (
            <Fragment key={message.id}>
              {newDay ? (
                <div className="my-3 flex items-center gap-3 px-4" role="separator">
                  <span className="h-px flex-1 bg-border" />
                  <span className="text-xs font-medium text-muted-foreground">
                    {format.date(message.createdAt)}
                  </span>
                  <span className="h-px flex-1 bg-border" />
                </div>
              ) : null}
              {unread && unread.seq === message.seq ? (
                <div
                  data-testid="unread-divider"
                  className="my-2 flex items-center gap-3 px-4"
                  role="separator"
                >
                  <span className="h-px flex-1 bg-destructive-text/50" />
                  <span className="text-xs font-semibold text-destructive-text">
                    {unread.count} new {unread.count === 1 ? "message" : "messages"}
                  </span>
                  <span className="h-px flex-1 bg-destructive-text/50" />
                </div>
              ) : null}
              {message.type === "system" ? (
                <p
                  {...jumpTarget(message.seq)}
                  className={cn(
                    "my-2 px-4 text-center text-xs text-muted-foreground",
                    jumpClassName(highlight?.seq === message.seq),
                  )}
                >
                  {message.content}
                </p>
              ) : (
                <div
                  {...jumpTarget(message.seq)}
                  data-highlighted={highlight?.seq === message.seq ? "true" : undefined}
                  className={jumpClassName(highlight?.seq === message.seq)}
                  style={{ contentVisibility: "auto", containIntrinsicSize: "auto 56px" }}
                >
                  <MessageBubble
                    message={message}
                    mine={mine}
                    showSender={!sameSender}
                    status={computed?.status ?? null}
                    readBy={isGroup && mine ? (computed?.readBy ?? 0) : null}
                    isGroup={isGroup}
                    canDelete={mine || canModerate}
                    actions={bubbleActions}
                  />
                </div>
              )}
            </Fragment>
          );
        })}
        {hasNewer ? (
          <div className="flex justify-center py-2">
            <Button
              variant="ghost"
              size="sm"
              disabled={loadingNewer}
              onClick={() => void onLoadNewer()}
            >
              {loadingNewer ? "Loading newer messages…" : "Load newer messages"}
            </Button>
          </div>
        ) : null}
        {/* While older history is shown, a message being sent waits for the latest ones. */}
        {(hasNewer ? [] : pending).map((item) => (
          <div
            key={item.id}
            data-testid="message"
            data-pending={item.state}
            data-mine="true"
            className="flex flex-row-reverse px-3 py-0.5"
          >
            <div className="flex max-w-[80%] flex-col items-end">
              <div className="rounded-2xl bg-primary px-3 py-2 text-sm break-words whitespace-pre-wrap text-primary-foreground">
                {item.attachments.length > 0 ? (
                  <span className="mb-1 block text-xs">
                    📎 {item.attachments.map((a) => a.fileName).join(", ")}
                  </span>
                ) : null}
                {item.content}
                <span className="mt-1 flex items-center justify-end gap-1 text-[11px] text-primary-foreground">
                  <time dateTime={item.createdAt.toISOString()}>{format.time(item.createdAt)}</time>
                  <MessageStatus status="sending" />
                </span>
              </div>
              {item.state === "failed" ? (
                <p
                  role="alert"
                  className="mt-1 flex items-center gap-2 text-xs text-destructive-text"
                >
                  Not sent{item.error ? ` — ${item.error}` : ""}
                  <Button
                    variant="link"
                    size="sm"
                    className="text-xs"
                    onClick={() => onRetry(item.id)}
                  >
                    <RotateCw aria-hidden="true" className="size-3" />
                    Retry
                  </Button>
                  <Button
                    variant="link"
                    size="sm"
                    className="text-xs text-muted-foreground"
                    onClick={() => onDiscard(item.id)}
                  >
                    Discard
                  </Button>
                </p>
              ) : null}
            </div>
          </div>
        ))}
        {footer}
        <div ref={bottom} className="h-px" />
      </div>
      {showJump || hasNewer ? (
        <Button
          variant="outline"
          size="sm"
          onClick={jumpToLatest}
          className="absolute right-4 bottom-4 rounded-full shadow-md"
        >
          <ArrowDown aria-hidden="true" />
          Jump to latest
          {heldCount > 0 ? (
            <>
              <span className="sr-only">, </span>
              <span
                data-testid="held-count"
                className="rounded-full bg-primary px-1.5 text-xs font-semibold text-primary-foreground tabular-nums"
              >
                {heldCount} new
              </span>
            </>
          ) : null}
        </Button>
      ) : null}
    </div>
  );
}
