"use client";

import {
  Bookmark,
  BookmarkMinus,
  Copy,
  CornerUpLeft,
  Forward,
  Link2,
  MailOpen,
  MessagesSquare,
  MoreHorizontal,
  Pencil,
  Pin,
  PinOff,
  SmilePlus,
  Trash2,
} from "lucide-react";
import { memo, useRef, useState, type PointerEvent } from "react";
import { ProfileCard } from "@/components/people/profile-card";
import { Avatar } from "@/components/ui/avatar";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toaster";
import { Tooltip } from "@/components/ui/tooltip";
import { useFormatters } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { MessageView } from "@/contracts/messages";
import { EmojiPickerPopover } from "./emoji-picker";
import { LinkPreviewCard } from "./link-preview-card";
import { MessageAttachments } from "./message-attachments";
import { MessageMarkdown } from "./message-markdown";
import { useViewerId } from "@/lib/realtime/provider";
import { mentionNames, mentionsAsNames } from "@/lib/markdown/mentions";
import { MESSAGE_ROW } from "./message-row-focus";
import { MessageStatus, type DeliveryStatus } from "./message-status";
import { ThreadSummaryButton } from "./thread-summary";

/** "Alice, Bob and 3 more": who reacted, for the chip's tooltip. */
export function reactorsText(reaction: MessageView["reactions"][number]): string {
  const more = reaction.count - reaction.names.length;
  if (reaction.names.length === 0) return `${reaction.count} reacted`;
  return more > 0 ? `${reaction.names.join(", ")} and ${more} more` : reaction.names.join(", ");
}

/** "Pinned by Ann", "Pinned by you". */
function pinnedLabel(pinned: NonNullable<MessageView["pinned"]>): string {
  return `Pinned by ${pinned.byMe ? "you" : (pinned.by ?? "someone")}`;
}

const LONG_PRESS_MS = 500;

export const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🎉"] as const;

export interface MessageActions {
  onReply(message: MessageView): void;
  onEdit(message: MessageView): void;
  onDelete(message: MessageView): void;
  onReact(message: MessageView, emoji: string): void;
  onShowEdits(message: MessageView): void;
  onShowReaders(message: MessageView): void;
  onJumpTo(seq: number): void;
  onOpenImage(attachmentId: string): void;
  onTogglePin(message: MessageView): void;
  onToggleSave(message: MessageView): void;
  onMarkUnread(message: MessageView): void;
  /** Opens the message's thread; absent where threads cannot start (inside a thread). */
  onOpenThread?(message: MessageView): void;
  onForward(message: MessageView): void;
}

interface Props {
  message: MessageView;
  mine: boolean;
  /** Show the sender's name and picture (groups, first of a run). */
  showSender: boolean;
  status: DeliveryStatus | null;
  readBy: number | null;
  isGroup: boolean;
  canDelete: boolean;
  /** May unpin it, once pinned: whoever pinned it, a group's owner and admins. */
  canUnpin: boolean;
  actions: MessageActions;
  /** The element's id; a message shown twice (a thread's root) needs a second one. */
  domId?: string;
}

export const MessageBubble = memo(function MessageBubble({
  message,
  mine,
  showSender,
  status,
  readBy,
  isGroup,
  canDelete,
  canUnpin,
  actions,
  domId,
}: Props) {
  const format = useFormatters();
  const viewerId = useViewerId();
  const senderName = message.sender?.name ?? "Someone";
  const text = message.deleted ? null : message.content;
  const copy = () => {
    if (text)
      void navigator.clipboard.writeText(mentionsAsNames(text, mentionNames(message.mentions)));
  };
  // The address that opens the chat scrolled to this message (components/chat/use-message-link.ts).
  const copyLink = () => {
    const link = new URL(`/chat/${message.chatId}`, window.location.origin);
    link.searchParams.set("message", String(message.seq));
    navigator.clipboard.writeText(link.toString()).then(
      () => toast.success("Link to the message copied"),
      () => toast.error("The link could not be copied"),
    );
  };
  const [menuOpen, setMenuOpen] = useState(false);
  const [pickerOpen, setPickerOpen] = useState(false);
  const actionsButton = useRef<HTMLButtonElement>(null);
  // The full picker opens as the menu closes: the menu must not take focus back to its button.
  const openingPicker = useRef(false);
  const press = useRef<ReturnType<typeof setTimeout> | null>(null);
  const endPress = () => {
    if (press.current) clearTimeout(press.current);
    press.current = null;
  };
  // A long press opens the actions on touch screens, where there is no hover.
  const startPress = (event: PointerEvent) => {
    if (event.pointerType !== "touch" || message.deleted) return;
    endPress();
    press.current = setTimeout(() => setMenuOpen(true), LONG_PRESS_MS);
  };
  return (
    <div
      id={domId ?? `message-${message.seq}`}
      data-testid="message"
      data-seq={message.seq}
      data-mine={mine ? "true" : "false"}
      {...MESSAGE_ROW}
      tabIndex={-1}
      className={cn(
        "group flex items-end gap-2 rounded-lg px-3 py-0.5 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring",
        mine ? "flex-row-reverse" : "",
      )}
      onKeyDown={(event) => {
        // The message's own keys, when it (not a control inside it) has the focus.
        if (event.target !== event.currentTarget || message.deleted) return;
        const opensMenu =
          event.key === "Enter" ||
          event.key === "ContextMenu" ||
          (event.key === "F10" && event.shiftKey);
        if (!opensMenu) return;
        event.preventDefault();
        setMenuOpen(true);
      }}
      onPointerDown={startPress}
      onPointerUp={endPress}
      onPointerMove={endPress}
      onPointerCancel={endPress}
      onContextMenu={(event) => {
        if (message.deleted || window.getSelection()?.toString()) return;
        event.preventDefault();
        setMenuOpen(true);
      }}
    >
      {isGroup && !mine ? (
        <span className="w-8 shrink-0">
          {showSender && message.sender ? (
            <ProfileCard userId={message.sender.id} label={`${senderName}'s profile`}>
              {/* The name beside it opens the same card, for assistive technology too; both
                  stay out of the Tab order, as the message's other controls. */}
              <button type="button" tabIndex={-1} aria-hidden="true" className="rounded-full">
                <Avatar name={senderName} image={message.sender.image} />
              </button>
            </ProfileCard>
          ) : showSender ? (
            <Avatar name={senderName} image={null} />
          ) : null}
        </span>
      ) : null}
      <div className={cn("flex max-w-[80%] flex-col", mine ? "items-end" : "items-start")}>
        {isGroup && !mine && showSender ? (
          message.sender ? (
            <ProfileCard userId={message.sender.id} label={`${senderName}'s profile`}>
              <button
                type="button"
                tabIndex={-1}
                className="mb-0.5 px-1 text-xs font-medium text-muted-foreground hover:underline"
              >
                {senderName}
              </button>
            </ProfileCard>
          ) : (
            <span className="mb-0.5 px-1 text-xs font-medium text-muted-foreground">
              {senderName}
            </span>
          )
        ) : null}
        <div
          data-testid="message-bubble"
          className={cn(
            "relative min-w-0 rounded-2xl px-3 py-2 text-sm wrap-anywhere",
            message.deleted
              ? "border border-dashed border-border bg-transparent text-muted-foreground italic"
              : mine
                ? "bg-primary text-primary-foreground"
                : "bg-muted text-foreground",
          )}
        >
          <span className="sr-only">{mine ? "You" : senderName}: </span>
          {message.forwarded && !message.deleted ? (
            <span
              data-testid="forwarded-mark"
              className={cn(
                "mb-0.5 flex items-center gap-1 text-xs italic",
                mine ? "text-primary-foreground/80" : "text-muted-foreground",
              )}
            >
              <Forward aria-hidden="true" className="size-3" />
              Forwarded
            </span>
          ) : null}
          {message.replyTo && !message.deleted ? (
            <button
              type="button"
              onClick={() => actions.onJumpTo(message.replyTo!.seq)}
              className={cn(
                "mb-1 block w-full rounded-md border-l-4 px-2 py-1 text-left text-xs",
                mine
                  ? "border-primary-foreground/60 bg-black/15"
                  : "border-primary-text bg-background/60",
              )}
            >
              <span className="block font-medium">
                Reply to {message.replyTo.senderName ?? "someone"}
              </span>
              <span className="line-clamp-2">
                {message.replyTo.deleted ? "Message deleted" : message.replyTo.preview}
              </span>
            </button>
          ) : null}
          {message.deleted ? null : (
            <MessageAttachments
              attachments={message.attachments}
              mine={mine}
              onOpenImage={(id) => actions.onOpenImage(id)}
            />
          )}
          {message.deleted ? (
            "Message deleted"
          ) : text ? (
            <MessageMarkdown text={text} mentions={message.mentions} meId={viewerId} />
          ) : null}
          {message.linkPreview && !message.deleted ? (
            <LinkPreviewCard preview={message.linkPreview} mine={mine} />
          ) : null}
          <span
            className={cn(
              "mt-1 flex items-center justify-end gap-1 text-[11px]",
              mine && !message.deleted ? "text-primary-foreground" : "text-muted-foreground",
            )}
          >
            {message.pinned ? (
              <span
                role="img"
                aria-label={pinnedLabel(message.pinned)}
                title={pinnedLabel(message.pinned)}
                data-testid="pinned-mark"
              >
                <Pin aria-hidden="true" className="size-3" />
              </span>
            ) : null}
            {message.saved ? (
              <span role="img" aria-label="Saved" title="Saved" data-testid="saved-mark">
                <Bookmark aria-hidden="true" className="size-3 fill-current" />
              </span>
            ) : null}
            {message.edited && !message.deleted ? (
              <button
                type="button"
                className="underline-offset-2 hover:underline"
                onClick={() => actions.onShowEdits(message)}
              >
                edited
              </button>
            ) : null}
            <time
              dateTime={new Date(message.createdAt).toISOString()}
              title={format.dateTime(message.createdAt)}
            >
              {format.time(message.createdAt)}
            </time>
            {status ? <MessageStatus status={status} /> : null}
          </span>
        </div>
        {message.reactions.length > 0 ? (
          <ul className="mt-1 flex flex-wrap gap-1" aria-label="Reactions">
            {message.reactions.map((reaction) => (
              <li key={reaction.emoji}>
                <Tooltip content={reactorsText(reaction)}>
                  <button
                    type="button"
                    aria-pressed={reaction.reactedByMe}
                    aria-label={`${reaction.emoji} ${reaction.count}${reaction.reactedByMe ? ", including you" : ""}`}
                    onClick={() => actions.onReact(message, reaction.emoji)}
                    className={cn(
                      "inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs focus-visible:outline-2 focus-visible:outline-ring",
                      reaction.reactedByMe
                        ? "border-primary-text bg-primary-soft text-primary-text"
                        : "border-border bg-card hover:bg-accent",
                    )}
                  >
                    <span>{reaction.emoji}</span>
                    <span className="tabular-nums">{reaction.count}</span>
                  </button>
                </Tooltip>
              </li>
            ))}
          </ul>
        ) : null}
        {message.thread && actions.onOpenThread ? (
          <ThreadSummaryButton
            thread={message.thread}
            onOpen={() => actions.onOpenThread?.(message)}
          />
        ) : null}
        {mine && isGroup && readBy !== null && readBy > 0 ? (
          <button
            type="button"
            className="mt-0.5 px-1 text-[11px] text-muted-foreground hover:underline"
            onClick={() => actions.onShowReaders(message)}
          >
            Read by {readBy}
          </button>
        ) : null}
      </div>
      {message.deleted ? null : (
        <DropdownMenu open={menuOpen} onOpenChange={setMenuOpen}>
          <EmojiPickerPopover
            anchored
            label="Add a reaction"
            open={pickerOpen}
            onOpenChange={setPickerOpen}
            align={mine ? "end" : "start"}
            onEmojiSelect={(emoji) => actions.onReact(message, emoji)}
            onCloseAutoFocus={(event) => {
              event.preventDefault();
              actionsButton.current?.focus();
            }}
          >
            <DropdownMenuTrigger
              ref={actionsButton}
              // Reached from the message (Enter), not by Tab: one stop per message would
              // make the conversation dozens of stops long.
              tabIndex={-1}
              aria-label={`Message actions, ${mine ? "your message" : senderName}, ${format.time(message.createdAt)}`}
              className="mb-1 rounded-md p-1 text-muted-foreground opacity-0 group-hover:opacity-100 group-focus-visible:opacity-100 hover:bg-accent focus-visible:opacity-100 [@media(hover:none)]:opacity-100 focus-visible:outline-2 focus-visible:outline-ring data-[state=open]:opacity-100"
            >
              <MoreHorizontal aria-hidden="true" className="size-4" />
            </DropdownMenuTrigger>
          </EmojiPickerPopover>
          <DropdownMenuContent
            align={mine ? "end" : "start"}
            onCloseAutoFocus={(event) => {
              if (!openingPicker.current) return;
              openingPicker.current = false;
              event.preventDefault();
            }}
          >
            <div className="flex gap-1 px-1 py-1" role="group" aria-label="Quick reactions">
              {QUICK_REACTIONS.map((emoji) => (
                <DropdownMenuItem
                  key={emoji}
                  aria-label={`React with ${emoji}`}
                  className="justify-center px-1.5 text-base"
                  onSelect={() => actions.onReact(message, emoji)}
                >
                  {emoji}
                </DropdownMenuItem>
              ))}
              <DropdownMenuItem
                aria-label="More reactions…"
                className="justify-center px-1.5"
                onSelect={() => {
                  openingPicker.current = true;
                  setPickerOpen(true);
                }}
              >
                <SmilePlus aria-hidden="true" />
              </DropdownMenuItem>
            </div>
            <DropdownMenuSeparator />
            <DropdownMenuItem onSelect={() => actions.onReply(message)}>
              <CornerUpLeft aria-hidden="true" />
              Reply
            </DropdownMenuItem>
            {actions.onOpenThread && message.threadRootId === null ? (
              <DropdownMenuItem onSelect={() => actions.onOpenThread?.(message)}>
                <MessagesSquare aria-hidden="true" />
                Reply in thread
              </DropdownMenuItem>
            ) : null}
            <DropdownMenuItem onSelect={() => actions.onForward(message)}>
              <Forward aria-hidden="true" />
              Forward…
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={copy}>
              <Copy aria-hidden="true" />
              Copy text
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={copyLink}>
              <Link2 aria-hidden="true" />
              Copy link
            </DropdownMenuItem>
            {message.threadRootId === null ? (
              <DropdownMenuItem onSelect={() => actions.onMarkUnread(message)}>
                <MailOpen aria-hidden="true" />
                Mark as unread
              </DropdownMenuItem>
            ) : null}
            {!message.pinned ? (
              <DropdownMenuItem onSelect={() => actions.onTogglePin(message)}>
                <Pin aria-hidden="true" />
                Pin to chat
              </DropdownMenuItem>
            ) : canUnpin ? (
              <DropdownMenuItem onSelect={() => actions.onTogglePin(message)}>
                <PinOff aria-hidden="true" />
                Unpin
              </DropdownMenuItem>
            ) : null}
            <DropdownMenuItem onSelect={() => actions.onToggleSave(message)}>
              {message.saved ? (
                <BookmarkMinus aria-hidden="true" />
              ) : (
                <Bookmark aria-hidden="true" />
              )}
              {message.saved ? "Remove from saved" : "Save for later"}
            </DropdownMenuItem>
            {mine ? (
              <DropdownMenuItem onSelect={() => actions.onEdit(message)}>
                <Pencil aria-hidden="true" />
                Edit
              </DropdownMenuItem>
            ) : null}
            {canDelete ? (
              <DropdownMenuItem
                className="text-destructive-text"
                onSelect={() => actions.onDelete(message)}
              >
                <Trash2 aria-hidden="true" />
                Delete
              </DropdownMenuItem>
            ) : null}
          </DropdownMenuContent>
        </DropdownMenu>
      )}
    </div>
  );
});
