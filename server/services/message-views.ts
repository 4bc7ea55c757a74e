import "server-only";

import { eq, inArray, sql } from "drizzle-orm";
import { messageReactions, user } from "@/db/schema";
import type { ChatType } from "@/contracts/enums";
import { env } from "@/server/env";
import { getStorage } from "@/server/storage";
import type { Tx } from "@/db/types";
import type { MessageView } from "@/contracts/messages";
import { signAttachmentUrls } from "./attachments";
import type {
  MemberPointers,
  MessagePage,
  MessageRow,
  PageAttachment,
  PageReaction,
} from "./message-rows";
import { REACTION_NAMES_SHOWN } from "./message-rows";
import { messagePreview } from "./message-preview";

/**
 * Reactions of some messages grouped by emoji, in the order they were first used: the
 * count, whether the caller is among them, and the first people's names.
 */
export function reactionSummaries(tx: Tx, params: { userId: string; messageIds: string[] }) {
  return tx
    .select({
      messageId: messageReactions.messageId,
      emoji: messageReactions.emoji,
      count: sql<number>`count(*)::int`,
      reactedByMe: sql<boolean>`bool_or(${messageReactions.userId} = ${params.userId}::uuid)`,
      names: sql<
        string[]
      >`coalesce((array_agg(${user.name} order by ${messageReactions.createdAt}) filter (where ${user.name} is not null))[1:${sql.raw(String(REACTION_NAMES_SHOWN))}], '{}')`,
    })
    .from(messageReactions)
    .leftJoin(user, eq(user.id, messageReactions.userId))
    .where(inArray(messageReactions.messageId, params.messageIds))
    .groupBy(messageReactions.messageId, messageReactions.emoji)
    .orderBy(sql`min(${messageReactions.createdAt})`);
}

type AttachmentUrls = Awaited<ReturnType<typeof signAttachmentUrls>>;
/** What one message's view needs besides its row. */
interface ViewInputs {
  userId: string;
  chatType: ChatType;
  reactions: PageReaction[];
  attachments: PageAttachment[];
  pinned: MessageView["pinned"];
  saved: boolean;
  linkPreview: MessageView["linkPreview"];
  thread: MessageView["thread"];
  urls: AttachmentUrls;
  others: MemberPointers[];
}

/** The views of a page read by `loadMessagePage`, which carries everything they need. */
export async function pageViews(
  page: MessagePage,
  params: { userId: string },
): Promise<MessageView[]> {
  const urls = await signAttachmentUrls(
    getStorage(),
    page.messages.flatMap((m) => m.attachments),
    env.ATTACHMENT_URL_TTL_SECONDS,
  );
  return page.messages.map((row) =>
    buildMessageView(row, {
      userId: params.userId,
      chatType: page.chat.type,
      reactions: row.reactions,
      attachments: row.attachments,
      pinned: row.pinned,
      saved: row.saved,
      linkPreview: row.linkPreview,
      thread: row.thread,
      urls,
      others: page.others,
    }),
  );
}

/**
 * The view of a message the caller has just sent, with no further queries: it has no
 * reactions yet, its attachments are the ones just bound to it, and nobody else can have
 * received or read it before the transaction commits, so its status is "sent".
 */
export async function sentMessageView(params: {
  userId: string;
  chatType: ChatType;
  row: MessageRow;
  attachments: PageAttachment[];
}): Promise<MessageView> {
  const urls = await signAttachmentUrls(
    getStorage(),
    params.attachments,
    env.ATTACHMENT_URL_TTL_SECONDS,
  );
  return buildMessageView(params.row, {
    ...params,
    reactions: [],
    pinned: null,
    saved: false,
    linkPreview: null,
    thread: null,
    urls,
    others: [],
  });
}

function buildMessageView(
  { message, sender: from, mentions, reply: quoted, replySenderName }: MessageRow,
  {
    userId,
    chatType,
    reactions,
    attachments,
    pinned,
    saved,
    linkPreview,
    thread,
    urls,
    others,
  }: ViewInputs,
): MessageView {
  const deleted = message.deletedAt !== null;
  const mine = message.senderId === userId && message.type !== "system";
  // Read pointers are places in the timeline: they say nothing of a reply in a thread.
  const inTimeline = message.threadRootId === null;
  let status: MessageView["status"] = null;
  if (mine && !deleted && inTimeline) {
    if (others.length > 0 && others.every((o) => o.lastReadSeq >= message.seq)) status = "read";
    else if (others.length > 0 && others.every((o) => o.lastDeliveredSeq >= message.seq))
      status = "delivered";
    else status = "sent";
  }
  return {
    id: message.id,
    chatId: message.chatId,
    seq: message.seq,
    type: message.type,
    content: deleted ? null : message.content,
    sender: from?.id ? { id: from.id, name: from.name, image: from.image } : null,
    mentions: deleted ? [] : mentions,
    replyTo: quoted?.id
      ? {
          id: quoted.id,
          seq: quoted.seq,
          senderName: replySenderName,
          preview: messagePreview({ ...quoted, content: quoted.content }),
          deleted: quoted.deletedAt !== null,
        }
      : null,
    threadRootId: message.threadRootId,
    thread,
    forwarded: message.forwarded,
    metadata: (message.metadata as Record<string, unknown> | null) ?? null,
    attachments: deleted
      ? []
      : attachments.map((a) => ({
          id: a.id,
          fileName: a.fileName,
          fileSize: a.fileSize,
          mimeType: a.mimeType,
          width: a.width,
          height: a.height,
          url: urls.get(a.id)?.url ?? "",
          thumbnailUrl: urls.get(a.id)?.thumbnailUrl ?? null,
        })),
    reactions: deleted ? [] : reactions,
    edited: message.editedAt !== null,
    editedAt: message.editedAt,
    deleted,
    deletedAt: message.deletedAt,
    deletedBy: message.deletedBy,
    createdAt: message.createdAt,
    status,
    readBy:
      mine && !deleted && inTimeline && chatType === "group"
        ? others.filter((o) => o.lastReadSeq >= message.seq).length
        : null,
    pinned: deleted ? null : pinned,
    saved: !deleted && saved,
    linkPreview: deleted ? null : linkPreview,
  };
}
