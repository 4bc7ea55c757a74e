"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { canInChat } from "@/contracts/permissions";
import { mentionNames } from "@/lib/markdown/mentions";
import type { Mentionable } from "@/lib/chat/mention-draft";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC, useTRPCClient } from "@/lib/trpc/react";
import type { MessageView } from "@/contracts/messages";
import { Composer, type ComposerMode } from "./composer";
import { ConversationHeader } from "./conversation-header";
import { InfoPanel } from "./info-panel";
import { InfoPanelFrame, useInfoPanel } from "./info-panel-frame";
import { EditHistoryDialog, ReadersDialog } from "./message-details-dialogs";
import { DeleteMessageDialog } from "./delete-message-dialog";
import { ForwardDialog } from "./forward-dialog";
import { useMessageMutations } from "./use-message-mutations";
import { ImageLightbox, lightboxImages } from "./image-lightbox";
import { MessageList } from "./message-list";
import { SidePanel, type SidePanelState } from "./side-panel";
import { ThreadPanel } from "./thread-panel";
import { TypingIndicator } from "./typing-indicator";
import { useConversation } from "./use-conversation";
import { useMessageLink } from "./use-message-link";
import { useUploads } from "./use-uploads";

function pageIsSeen(): boolean {
  return document.visibilityState === "visible" && document.hasFocus();
}

/** One open chat: header, the message log, who is typing, and the composer. */
export function ConversationView({ chatId, myId }: { chatId: string; myId: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const conversation = useConversation(chatId, myId);
  useMessageLink(chatId, conversation.jumpTo);
  const { chat, state, pointers, typists, channel } = conversation;
  const [mode, setMode] = useState<ComposerMode>({ kind: "new" });
  // Read up to here when the chat opened: my read pointer, or my "mark as unread" before it.
  const [readSeqAtOpen] = useState(() =>
    chat.unreadFromSeq === null
      ? chat.lastReadSeq
      : Math.min(chat.unreadFromSeq - 1, chat.lastReadSeq),
  );
  const [toDelete, setToDelete] = useState<MessageView | null>(null);
  const [editsOf, setEditsOf] = useState<MessageView | null>(null);
  const [readersOf, setReadersOf] = useState<MessageView | null>(null);
  const [forwardOf, setForwardOf] = useState<MessageView | null>(null);
  const [lightboxId, setLightboxId] = useState<string | null>(null);
  const images = useMemo(() => lightboxImages(state.messages), [state.messages]);
  const uploads = useUploads(chatId);
  const [dragging, setDragging] = useState(false);
  const info = useInfoPanel();
  const [thread, setThread] = useState<{
    rootId: string;
    rootSeq: number;
    targetSeq: number | null;
  } | null>(null);

  // Read means seen: the newest message was on screen while the window had focus. Once it
  // is recorded, the counts are fetched again here rather than left to the realtime event,
  // which a page still joining its channels would miss.
  const queryClient = useQueryClient();
  const markRead = useMutation(
    trpc.chats.markRead.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.chats.list.infiniteQueryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.chats.unreadTotal.queryKey() }),
        ]),
    }),
  );
  const readUpTo = useRef(readSeqAtOpen);
  const seenWhileAway = useRef(0);
  const { mutate: markReadMutate } = markRead;
  const onVisibleLatest = useCallback(
    (seq: number) => {
      if (seq <= readUpTo.current) return;
      if (!pageIsSeen()) {
        seenWhileAway.current = Math.max(seenWhileAway.current, seq);
        return;
      }
      const before = readUpTo.current;
      readUpTo.current = seq;
      markReadMutate(
        { chatId, seq },
        {
          // Not recorded: the next sign of the reader (a scroll, the focus) tries again.
          onError: () => {
            if (readUpTo.current === seq) readUpTo.current = before;
          },
        },
      );
    },
    [chatId, markReadMutate],
  );
  useEffect(() => {
    const catchUp = () => {
      if (seenWhileAway.current > readUpTo.current && pageIsSeen()) {
        onVisibleLatest(seenWhileAway.current);
      }
    };
    // Someone using the page is looking at it, whether or not a focus event was seen (one
    // may come before this listens, or the focus may start in the browser's own UI).
    const signs = ["pointerdown", "keydown", "wheel"] as const;
    window.addEventListener("focus", catchUp);
    document.addEventListener("visibilitychange", catchUp);
    for (const sign of signs) document.addEventListener(sign, catchUp, { passive: true });
    return () => {
      window.removeEventListener("focus", catchUp);
      document.removeEventListener("visibilitychange", catchUp);
      for (const sign of signs) document.removeEventListener(sign, catchUp);
    };
  }, [onVisibleLatest]);

  const mutations = useMessageMutations(conversation);

  const onTogglePin = async (message: MessageView): Promise<void> => {
    try {
      if (message.pinned) await client.pins.remove.mutate({ messageId: message.id });
      else await client.pins.add.mutate({ messageId: message.id });
      await Promise.all([
        conversation.refetchMessage(message.seq),
        queryClient.invalidateQueries({ queryKey: trpc.pins.list.queryKey({ chatId }) }),
      ]);
      toast.success(message.pinned ? "Message unpinned" : "Message pinned to the chat");
    } catch (error) {
      toast.error(errorMessage(error));
    }
  };

  /** Saves or unsaves a message; whether it is saved now, or null when that failed. */
  const onToggleSave = async (message: MessageView): Promise<boolean | null> => {
    try {
      const result = message.saved
        ? await client.saved.remove.mutate({ messageId: message.id })
        : await client.saved.add.mutate({ messageId: message.id });
      conversation.replace({ ...message, saved: result.saved });
      void queryClient.invalidateQueries({ queryKey: trpc.saved.list.infiniteQueryKey() });
      toast.success(result.saved ? "Saved for later" : "Removed from saved messages");
      return result.saved;
    } catch (error) {
      toast.error(errorMessage(error));
      return null;
    }
  };

  const openThread = (message: MessageView) =>
    setThread({ rootId: message.id, rootSeq: message.seq, targetSeq: null });
  // A link or a search result that points into a thread opens it at that reply.
  const { threadTarget } = conversation;
  useEffect(() => {
    if (threadTarget) {
      setThread({
        rootId: threadTarget.rootId,
        rootSeq: threadTarget.rootSeq,
        targetSeq: threadTarget.seq,
      });
    }
  }, [threadTarget]);
  const threadPanelId = useId();
  const threadPanel: SidePanelState = {
    id: threadPanelId,
    open: thread !== null,
    wide: info.wide,
    setOpen: (open) => {
      if (!open) setThread(null);
    },
  };

  const onMarkUnread = async (message: MessageView) => {
    try {
      await client.chats.markUnread.mutate({ chatId, seq: message.seq });
      // Not read again while this view stays open: the mark holds until I come back to it.
      readUpTo.current = Number.MAX_SAFE_INTEGER;
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.chats.list.infiniteQueryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.chats.unreadTotal.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.chats.get.queryKey({ chatId }) }),
      ]);
      toast.success("Marked as unread from this message");
    } catch (error) {
      toast.error(errorMessage(error));
    }
  };

  const canModerate = chat.type === "group" && (chat.myRole === "owner" || chat.myRole === "admin");
  const mentionable = useMemo<Mentionable>(
    () => ({
      people: chat.members
        .filter((member) => member.userId !== myId)
        .map((member) => ({ id: member.userId, name: member.name, image: member.image })),
      everyone: chat.type === "group" && canInChat(chat, "chat.mention_all"),
    }),
    [chat, myId],
  );
  const memberNames = useMemo(
    () => mentionNames(chat.members.map((m) => ({ id: m.userId, name: m.name }))),
    [chat.members],
  );

  return (
    <div className="flex h-full min-h-0">
      <div
        className="relative flex h-full min-h-0 min-w-0 flex-1 flex-col"
        data-testid="conversation"
        onDragOver={(event) => {
          if (!event.dataTransfer.types.includes("Files")) return;
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={(event) => {
          if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
          setDragging(false);
        }}
        onDrop={(event) => {
          if (event.dataTransfer.files.length === 0) return;
          event.preventDefault();
          setDragging(false);
          uploads.add(event.dataTransfer.files);
        }}
      >
        {dragging ? (
          <div className="pointer-events-none absolute inset-2 z-10 flex items-center justify-center rounded-xl border-2 border-dashed border-primary-text bg-primary-soft/80 text-sm font-medium text-primary-text">
            Drop files to attach them
          </div>
        ) : null}
        <ConversationHeader chat={chat} myId={myId} info={info} />
        <MessageList
          messages={state.messages}
          pending={state.pending}
          mentionNames={memberNames}
          hasOlder={state.hasOlder}
          loadingOlder={conversation.loadingOlder}
          onLoadOlder={conversation.loadOlder}
          hasNewer={conversation.detached}
          loadingNewer={conversation.loadingNewer}
          onLoadNewer={conversation.loadNewer}
          heldCount={conversation.heldCount}
          onJumpToLatest={conversation.jumpToLatest}
          onJumpTo={(seq) => void conversation.jumpTo(seq)}
          target={conversation.target}
          myId={myId}
          isGroup={chat.type === "group"}
          canModerate={canModerate}
          pointers={pointers}
          readSeqAtOpen={readSeqAtOpen}
          onVisibleLatest={onVisibleLatest}
          onRetry={conversation.retry}
          onDiscard={conversation.discard}
          actions={{
            onReply: (message) => setMode({ kind: "reply", message }),
            onEdit: (message) => setMode({ kind: "edit", message }),
            onDelete: setToDelete,
            onReact: (message, emoji) => void mutations.react(message, emoji),
            onShowEdits: setEditsOf,
            onShowReaders: setReadersOf,
            onOpenImage: setLightboxId,
            onTogglePin: (message) => void onTogglePin(message),
            onToggleSave: (message) => void onToggleSave(message),
            onMarkUnread: (message) => void onMarkUnread(message),
            onOpenThread: openThread,
            onForward: setForwardOf,
          }}
        />
        <TypingIndicator typists={typists} />
        <Composer
          chatId={chatId}
          mode={mode}
          onCancelMode={() => setMode({ kind: "new" })}
          onSend={conversation.send}
          onEdit={mutations.edit}
          onEditLast={() => {
            const last = state.messages.findLast(
              (m) => m.sender?.id === myId && !m.deleted && m.type !== "system",
            );
            if (last) setMode({ kind: "edit", message: last });
            return last !== undefined;
          }}
          onTyping={() => channel.typing()}
          uploads={uploads}
          mentionable={mentionable}
        />
        <DeleteMessageDialog
          message={toDelete}
          onClose={() => setToDelete(null)}
          onDelete={mutations.remove}
        />
        <ImageLightbox images={images} openId={lightboxId} onOpenIdChange={setLightboxId} />
        <EditHistoryDialog message={editsOf} onClose={() => setEditsOf(null)} />
        <ReadersDialog message={readersOf} onClose={() => setReadersOf(null)} />
        <ForwardDialog message={forwardOf} onClose={() => setForwardOf(null)} />
      </div>
      {thread ? (
        // One column beside the conversation: an open thread takes the info panel's place.
        <SidePanel
          state={threadPanel}
          title="Thread"
          closeLabel="Close thread"
          description="Replies in a thread of this chat."
          testId="thread-panel"
          widthClassName="w-80"
          onClosed={() => document.getElementById(`message-${thread.rootSeq}`)?.focus()}
        >
          <ThreadPanel
            chatId={chatId}
            rootId={thread.rootId}
            targetSeq={thread.targetSeq}
            myId={myId}
            isGroup={chat.type === "group"}
            canModerate={canModerate}
            actions={{
              onShowEdits: setEditsOf,
              onShowReaders: setReadersOf,
              onForward: setForwardOf,
              // The thread's root is in the timeline; its replies offer no such mark.
              onMarkUnread: (message) => void onMarkUnread(message),
            }}
            togglePin={onTogglePin}
            toggleSave={onToggleSave}
            mentionable={mentionable}
            memberNames={memberNames}
            onJumpToRoot={(seq) => {
              if (!info.wide) setThread(null);
              void conversation.jumpTo(seq);
            }}
          />
        </SidePanel>
      ) : (
        <InfoPanelFrame state={info}>
          <InfoPanel
            chatId={chatId}
            myId={myId}
            onJumpTo={(seq) => {
              // On a narrow screen the panel covers the conversation it is about to show.
              if (!info.wide) info.setOpen(false);
              void conversation.jumpTo(seq);
            }}
            onOpenThread={({ rootId, seq }) => {
              if (!info.wide) info.setOpen(false);
              setThread({ rootId, rootSeq: seq, targetSeq: null });
            }}
          />
        </InfoPanelFrame>
      )}
    </div>
  );
}
