"use client";

import type { Mentionable } from "@/lib/chat/mention-draft";
import { useQuery } from "@tanstack/react-query";
import { Bell, BellOff } from "lucide-react";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { InlineError } from "@/components/ui/inline-error";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/forms";
import { threadDraftKey } from "@/lib/chat/drafts";
import { useTRPC } from "@/lib/trpc/react";
import type { MessageView } from "@/contracts/messages";
import type { ThreadPage } from "@/contracts/threads";
import { Composer, type ComposerMode } from "./composer";
import { DeleteMessageDialog } from "./delete-message-dialog";
import { ImageLightbox, lightboxImages } from "./image-lightbox";
import { useMessageMutations } from "./use-message-mutations";
import { MessageBubble, type MessageActions } from "./message-bubble";
import { MessageList } from "./message-list";
import { PAGE_SIZE } from "./page-size";
import { repliesText } from "./thread-summary";
import { useThread } from "./use-thread";
import { useUploads } from "./use-uploads";

export interface ThreadPanelProps {
  chatId: string;
  rootId: string;
  /** A reply to bring into view, from a link or a search result. */
  targetSeq: number | null;
  myId: string;
  isGroup: boolean;
  canModerate: boolean;
  /** What the conversation does for any message of the chat, the thread's too. */
  actions: Pick<MessageActions, "onShowEdits" | "onShowReaders" | "onForward" | "onMarkUnread">;
  togglePin: (message: MessageView) => Promise<void>;
  toggleSave: (message: MessageView) => Promise<boolean | null>;
  /** Shows the thread's root in the conversation. */
  onJumpToRoot: (seq: number) => void;
  /** Who a reply can mention, and the members' names for replies still being sent. */
  mentionable: Mentionable;
  memberNames: ReadonlyMap<string, string>;
}

/** A thread beside the conversation: loads its first page, then shows it live. */
export function ThreadPanel(props: ThreadPanelProps) {
  const trpc = useTRPC();
  const first = useQuery(trpc.threads.get.queryOptions({ rootId: props.rootId, limit: PAGE_SIZE }));
  if (first.isError) {
    return (
      <div className="p-4">
        <InlineError
          message={`The thread could not be opened: ${errorMessage(first.error)}`}
          onRetry={() => void first.refetch()}
        />
      </div>
    );
  }
  if (!first.data) {
    return (
      <div className="space-y-3 p-4" aria-busy="true" aria-label="Loading the thread">
        <Skeleton className="h-14 w-3/4" />
        <Skeleton className="h-10 w-1/2" />
        <Skeleton className="h-10 w-2/3" />
      </div>
    );
  }
  // A new thread opened in the same panel starts over, with its own state.
  return <ThreadView key={props.rootId} {...props} firstPage={first.data} />;
}

function ThreadView({
  chatId,
  firstPage,
  targetSeq,
  myId,
  isGroup,
  canModerate,
  actions,
  togglePin,
  toggleSave,
  onJumpToRoot,
  mentionable,
  memberNames,
}: ThreadPanelProps & { firstPage: ThreadPage }) {
  const thread = useThread(chatId, firstPage, myId);
  const { root, state } = thread;
  const uploads = useUploads(chatId);
  const [mode, setMode] = useState<ComposerMode>({ kind: "new" });
  const [toDelete, setToDelete] = useState<MessageView | null>(null);
  const [target] = useState(() => (targetSeq === null ? null : { seq: targetSeq, nonce: 1 }));

  const mutations = useMessageMutations(thread);
  // The thread's pictures page through among themselves, as the conversation's do.
  const [lightboxId, setLightboxId] = useState<string | null>(null);
  const images = useMemo(() => lightboxImages([root, ...state.messages]), [root, state.messages]);

  const bubbleActions: Omit<MessageActions, "onJumpTo"> = {
    ...actions,
    onReply: (message) => setMode({ kind: "reply", message }),
    onEdit: (message) => setMode({ kind: "edit", message }),
    onDelete: setToDelete,
    onReact: (message, emoji) => void mutations.react(message, emoji),
    onOpenImage: setLightboxId,
    onTogglePin: (message) => void togglePin(message).then(() => thread.refetch(message.id)),
    onToggleSave: (message) =>
      void toggleSave(message).then(
        (saved) => saved !== null && thread.replace({ ...message, saved }),
      ),
  };
  const mine = root.sender?.id === myId;
  const replyCount = root.thread?.replyCount ?? 0;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center justify-between gap-2 border-b border-border px-4 py-2 text-xs text-muted-foreground">
        <button
          type="button"
          className="underline-offset-2 hover:underline"
          onClick={() => onJumpToRoot(root.seq)}
        >
          Show in conversation
        </button>
        <Button
          variant="outline"
          size="sm"
          aria-pressed={thread.following}
          onClick={() => void thread.setFollow(!thread.following)}
        >
          {thread.following ? <Bell aria-hidden="true" /> : <BellOff aria-hidden="true" />}
          {thread.following ? "Following" : "Follow"}
        </Button>
      </div>
      <MessageList
        mentionNames={memberNames}
        label="Replies in the thread"
        beginningText={repliesText(replyCount)}
        emptyText="No replies yet. Start the thread!"
        showStatus={false}
        header={
          <div className="border-b border-border pb-2" data-testid="thread-root">
            <MessageBubble
              message={root}
              mine={mine}
              showSender
              status={null}
              readBy={null}
              isGroup={isGroup}
              canDelete={mine || canModerate}
              canUnpin={root.pinned?.byMe === true || !isGroup || canModerate}
              actions={{ ...bubbleActions, onJumpTo: onJumpToRoot }}
              domId={`thread-root-${root.seq}`}
            />
          </div>
        }
        messages={state.messages}
        pending={state.pending}
        hasOlder={state.hasOlder}
        loadingOlder={thread.loadingOlder}
        onLoadOlder={thread.loadOlder}
        hasNewer={false}
        loadingNewer={false}
        onLoadNewer={() => Promise.resolve()}
        heldCount={0}
        onJumpToLatest={() => Promise.resolve(true)}
        onJumpTo={onJumpToRoot}
        target={target}
        myId={myId}
        isGroup={isGroup}
        canModerate={canModerate}
        pointers={{ others: [] }}
        readSeqAtOpen={Number.MAX_SAFE_INTEGER}
        onVisibleLatest={thread.markRead}
        onRetry={thread.retry}
        onDiscard={thread.discard}
        actions={bubbleActions}
      />
      <Composer
        chatId={chatId}
        draftKey={threadDraftKey(chatId, root.id)}
        label="Reply in thread"
        placeholder="Reply…"
        mode={mode}
        onCancelMode={() => setMode({ kind: "new" })}
        onSend={thread.send}
        onEdit={mutations.edit}
        onEditLast={() => {
          const last = state.messages.findLast((m) => m.sender?.id === myId && !m.deleted);
          if (last) setMode({ kind: "edit", message: last });
          return last !== undefined;
        }}
        onTyping={() => undefined}
        uploads={uploads}
        mentionable={mentionable}
      />
      <ImageLightbox images={images} openId={lightboxId} onOpenIdChange={setLightboxId} />
      <DeleteMessageDialog
        message={toDelete}
        onClose={() => setToDelete(null)}
        onDelete={mutations.remove}
      />
    </div>
  );
}
