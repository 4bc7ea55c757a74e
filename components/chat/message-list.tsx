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
import { statusOf, type PendingMessage, type ReadPointers } from "@/lib/chat/message-list-state";
import type { MessageView } from "@/server/contracts/messages";
import { MessageBubble, type MessageActions } from "./message-bubble";
import { MessageStatus } from "./message-status";

/** Closer than this to the bottom counts as "at the latest message". */
const STICK_PX = 120;
const LOAD_OLDER_PX = 300;

interface Props {
  messages: MessageView[];
  pending: PendingMessage[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => Promise<void>;
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

function dayKey(date: Date | string): string {
  return new Date(date).toDateString();
}

/**
 * The conversation as a `role="log"` region. It opens at the first unread message (or the
 * latest), keeps the reading position while older pages load above, follows new messages
 * only while the reader is at the bottom, and reports the newest message actually seen.
 */
export function MessageList({
  messages,
  pending,
  hasOlder,
  loadingOlder,
  onLoadOlder,
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
  const [showJump, setShowJump] = useState(false);
  const [highlight, setHighlight] = useState<number | null>(null);
  const heightBeforeOlder = useRef<number | null>(null);
  const opened = useRef(false);
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
    else el.scrollTop = el.scrollHeight;
  }, [unread]);

  // Older messages went in above: keep what the reader was looking at where it was.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || heightBeforeOlder.current === null) return;
    el.scrollTop += el.scrollHeight - heightBeforeOlder.current;
    heightBeforeOlder.current = null;
  }, [firstSeq]);

  // New messages at the bottom: follow them if the reader was there (or sent one).
  const pendingCount = pending.length;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lastSeq, pendingCount]);

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

  const jumpTo = useCallback((seq: number) => {
    const target = document.getElementById(`message-${seq}`);
    if (!target) return;
    target.scrollIntoView({ block: "center", behavior: "smooth" });
    setHighlight(seq);
    setTimeout(() => setHighlight((current) => (current === seq ? null : current)), 2_000);
  }, []);

  const jumpToLatest = () => {
    const el = scroller.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
  };

  const bubbleActions: MessageActions = { ...actions, onJumpTo: jumpTo };

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={onScroll}
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
          const newDay = !previous || dayKey(previous.createdAt) !== dayKey(message.createdAt);
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
                <p className="my-2 px-4 text-center text-xs text-muted-foreground">
                  {message.content}
                </p>
              ) : (
                <div
                  className={
                    highlight === message.seq
                      ? "bg-primary-soft transition-colors"
                      : "transition-colors"
                  }
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
        {pending.map((item) => (
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
      {showJump ? (
        <Button
          variant="outline"
          size="sm"
          onClick={jumpToLatest}
          className="absolute right-4 bottom-4 rounded-full shadow-md"
        >
          <ArrowDown aria-hidden="true" />
          Jump to latest
        </Button>
      ) : null}
    </div>
  );
}
