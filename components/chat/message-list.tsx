"use client";

import { ArrowDown, RotateCw } from "lucide-react";
import { Fragment, useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { useFormatters } from "@/lib/format";
import { describeSystemMessage } from "@/lib/chat/system-message";
import { cn } from "@/lib/utils";
import { statusOf, type PendingMessage, type ReadPointers } from "@/lib/chat/message-list-state";
import type { MessageView } from "@/contracts/messages";
import { MESSAGE_ROW, moveBetweenMessages } from "./message-row-focus";
import { MessageBubble, type MessageActions } from "./message-bubble";
import { MessageStatus } from "./message-status";
import { mentionsAsNames } from "@/lib/markdown/mentions";

const NO_NAMES: ReadonlyMap<string, string> = new Map();
import { useMessageListScroll, type ScrollInputs } from "./use-message-list-scroll";

interface Props extends ScrollInputs {
  pending: PendingMessage[];
  /** The chat's members by id, to name the mentions of a message still being sent. */
  mentionNames?: ReadonlyMap<string, string>;
  /** New messages waiting below older history. */
  heldCount: number;
  /** Loads message `seq` if needed and makes it the `target`. */
  onJumpTo: (seq: number) => void;
  myId: string;
  isGroup: boolean;
  canModerate: boolean;
  pointers: ReadPointers;
  /** My read pointer when the chat opened: the "new messages" divider goes after it. */
  readSeqAtOpen: number;
  onRetry: (id: string) => void;
  onDiscard: (id: string) => void;
  actions: Omit<MessageActions, "onJumpTo">;
  footer?: ReactNode;
  /** The log's accessible name. */
  label?: string;
  /** Shown above everything else, scrolling with it (a thread's root). */
  header?: ReactNode;
  /** Said above the first message when there is nothing older. */
  beginningText?: string;
  emptyText?: string;
  /** Delivery ticks on my messages: read pointers are places in the timeline only. */
  showStatus?: boolean;
}

/** What a jump looks for. */
/** The seq of the message a "pinned a message" line is about, if it is one. */
function pinnedSeq(message: MessageView): number | null {
  const meta = message.metadata;
  return meta?.kind === "message_pinned" && typeof meta.seq === "number" ? meta.seq : null;
}

function jumpTarget(seq: number) {
  return { "data-jump-seq": seq };
}

/** As the server counts unread messages: not deleted, and no system note but a missed call. */
function countsAsUnread(message: MessageView): boolean {
  if (message.type === "system") return message.metadata?.kind === "call_missed";
  return !message.deleted;
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
  pending,
  mentionNames,
  heldCount,
  onJumpTo,
  myId,
  isGroup,
  canModerate,
  pointers,
  readSeqAtOpen,
  onRetry,
  onDiscard,
  actions,
  footer,
  label = "Messages",
  header,
  beginningText = "This is the beginning of the conversation.",
  emptyText = "No messages yet. Say hello!",
  showStatus = true,
  ...scrollInputs
}: Props) {
  const keysId = useId();
  const { messages, hasOlder, loadingOlder, hasNewer, loadingNewer, onLoadNewer } = scrollInputs;
  const format = useFormatters();

  // Fixed when the chat opens: the divider must not move while the reader catches up. It
  // counts what the chat list's badge counts (a deleted message or a note such as "Ann joined"
  // is not one to read), so the two agree.
  const [unread] = useState(() => {
    const fresh = messages.filter(
      (m) => m.seq > readSeqAtOpen && m.sender?.id !== myId && countsAsUnread(m),
    );
    const first = fresh[0];
    return first ? { seq: first.seq, count: fresh.length } : null;
  });

  const {
    scrollerRef,
    bottomRef,
    onScroll,
    onReaderInput,
    showJump,
    newBelowCount,
    highlightedSeq,
    loadOlder,
    jumpToLatest,
  } = useMessageListScroll({
    ...scrollInputs,
    pendingCount: pending.length,
    opensAtUnread: unread !== null,
  });

  const bubbleActions: MessageActions = { ...actions, onJumpTo };

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scrollerRef}
        onScroll={onScroll}
        // The reader taking over ends a scroll to the bottom still settling.
        onWheel={onReaderInput}
        onTouchStart={onReaderInput}
        onKeyDown={(event) => {
          onReaderInput();
          moveBetweenMessages(event);
        }}
        onPointerDown={onReaderInput}
        role="log"
        aria-label={label}
        aria-describedby={keysId}
        tabIndex={0}
        className="h-full overflow-y-auto py-3 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring"
      >
        <p id={keysId} className="sr-only">
          Up and down arrows move between messages; Enter opens a message&apos;s actions.
        </p>
        {header}
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
          <p className="py-4 text-center text-xs text-muted-foreground">{beginningText}</p>
        ) : null}
        {messages.length === 0 && pending.length === 0 ? (
          <p className="px-6 py-10 text-center text-sm text-muted-foreground">{emptyText}</p>
        ) : null}
        {messages.map((message, index) => {
          const previous = messages[index - 1];
          const newDay =
            !previous || format.dayOf(previous.createdAt) !== format.dayOf(message.createdAt);
          const mine = message.sender?.id === myId;
          const sameSender =
            !newDay && previous?.sender?.id === message.sender?.id && previous.type !== "system";
          const computed = mine && showStatus ? statusOf(message.seq, pointers) : null;
          return (
            <Fragment key={message.id}>
              {newDay ? (
                <div className="my-3 flex items-center gap-3 px-4" role="separator">
                  <span className="h-px flex-1 bg-border" />
                  <span className="text-xs font-medium text-muted-foreground">
                    {format.dayHeading(message.createdAt)}
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
                  {...MESSAGE_ROW}
                  tabIndex={-1}
                  className={cn(
                    "my-2 px-4 text-center text-xs text-muted-foreground",
                    jumpClassName(highlightedSeq === message.seq),
                  )}
                >
                  {describeSystemMessage(message, myId)}
                  {pinnedSeq(message) !== null ? (
                    <>
                      {" · "}
                      <button
                        type="button"
                        className="underline underline-offset-2 hover:text-foreground"
                        onClick={() => onJumpTo(pinnedSeq(message)!)}
                      >
                        Show message
                      </button>
                    </>
                  ) : null}
                </p>
              ) : (
                <div
                  {...jumpTarget(message.seq)}
                  data-highlighted={highlightedSeq === message.seq ? "true" : undefined}
                  className={jumpClassName(highlightedSeq === message.seq)}
                  style={{ contentVisibility: "auto", containIntrinsicSize: "auto 56px" }}
                >
                  <MessageBubble
                    message={message}
                    mine={mine}
                    showSender={!sameSender}
                    status={computed?.status ?? null}
                    readBy={isGroup && mine && showStatus ? (computed?.readBy ?? 0) : null}
                    isGroup={isGroup}
                    canDelete={mine || canModerate}
                    canUnpin={message.pinned?.byMe === true || !isGroup || canModerate}
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
              <div className="rounded-2xl bg-primary px-3 py-2 text-sm wrap-anywhere whitespace-pre-wrap text-primary-foreground">
                {item.attachments.length > 0 ? (
                  <span className="mb-1 block text-xs">
                    📎 {item.attachments.map((a) => a.fileName).join(", ")}
                  </span>
                ) : null}
                {mentionsAsNames(item.content, mentionNames ?? NO_NAMES)}
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
        <div ref={bottomRef} className="h-px" />
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
          {heldCount + newBelowCount > 0 ? (
            <>
              <span className="sr-only">, </span>
              <span
                data-testid="newer-count"
                className="rounded-full bg-primary px-1.5 text-xs font-semibold text-primary-foreground tabular-nums"
              >
                {heldCount + newBelowCount} new
              </span>
            </>
          ) : null}
        </Button>
      ) : null}
    </div>
  );
}
