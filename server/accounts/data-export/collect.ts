import "server-only";

import { and, desc, eq, isNotNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { withRls } from "@/db/rls";
import {
  chatMembers,
  chats,
  member,
  messageAttachments,
  messageReactions,
  messages,
  organization,
  session,
} from "@/db/schema";
import type { Database, Tx } from "@/db/types";
import type { ChatRole, ChatType, MessageType } from "@/contracts/enums";
import type { ApiKey } from "@/contracts/api-keys";
import type { Meta } from "@/contracts/metas";
import type { Preferences } from "@/contracts/preferences";
import type { Profile } from "@/contracts/me";
import { listApiKeys } from "@/server/services/api-keys";
import { listAuditLogs } from "@/server/services/audit";
import {
  chatTitle,
  directOther,
  directOtherOn,
  directOtherUser,
} from "@/server/services/chat-title";
import { getProfile } from "@/server/services/me";
import { listMetas } from "@/server/services/metas";
import { getPreferences } from "@/server/services/preferences";
import { afterTimeCursor, cursorTime, encodeTimeCursor } from "@/server/services/time-cursor";

/** Rows read in one transaction: each page is its own short one (PGlite has one connection). */
const PAGE = 1_000;

export interface ExportedSession {
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
}

export interface ExportedAuditRow {
  id: string;
  createdAt: Date;
  method: string;
  endpoint: string;
  statusCode: number;
  ipAddress: string | null;
  userAgent: string | null;
  apiKeyId: string | null;
  details: Record<string, unknown> | null;
}

export interface ExportedChat {
  id: string;
  workspace: string;
  type: ChatType;
  title: string;
  role: ChatRole;
  joinedAt: Date;
}

export interface ExportedMessage {
  id: string;
  chatId: string;
  chatTitle: string;
  type: MessageType;
  content: string;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  replyToId: string | null;
  threadRootId: string | null;
}

export interface ExportedReaction {
  messageId: string;
  chatId: string;
  chatTitle: string;
  emoji: string;
  createdAt: Date;
}

export interface ExportedFile {
  id: string;
  chatId: string;
  chatTitle: string;
  messageId: string | null;
  fileName: string;
  mimeType: string;
  fileSize: number;
  createdAt: Date;
  /** Where the bytes are in storage: read by the archive step, never written to it. */
  storagePath: string;
}

/** Everything Parley keeps about one person that is theirs to take, section by section. */
export interface CollectedData {
  profile: Profile;
  preferences: Preferences;
  metas: Meta[];
  sessions: ExportedSession[];
  apiKeys: ApiKey[];
  auditTrail: ExportedAuditRow[];
  workspaces: { id: string; name: string; role: string; joinedAt: Date }[];
  chats: ExportedChat[];
  messages: ExportedMessage[];
  reactions: ExportedReaction[];
  files: ExportedFile[];
}

/** The sections in the order they are read, for progress. */
export const COLLECTED_SECTIONS = [
  "profile",
  "sessions",
  "auditTrail",
  "workspaces",
  "chats",
  "messages",
  "reactions",
  "files",
] as const;
export type CollectedSection = (typeof COLLECTED_SECTIONS)[number];

/**
 * Sessions live in Better Auth's table, closed to request roles: read on the owner
 * connection, the person's rows only, and never their tokens.
 */
async function readSessions(db: Database, userId: string): Promise<ExportedSession[]> {
  return db
    .select({
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
      expiresAt: session.expiresAt,
      ipAddress: session.ipAddress,
      userAgent: session.userAgent,
    })
    .from(session)
    .where(eq(session.userId, userId))
    .orderBy(desc(session.createdAt));
}

/** Reads page after page, each in a transaction of its own, until one comes back short. */
async function readPages<T>(
  read: (cursor: string | undefined) => Promise<T[]>,
  next: (last: T) => string,
) {
  const all: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await read(cursor);
    all.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE || !last) return all;
    cursor = next(last);
  }
}

async function readAuditTrail(userId: string): Promise<ExportedAuditRow[]> {
  const rows: ExportedAuditRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await withRls(userId, (tx) => listAuditLogs(tx, { userId, cursor, limit: PAGE }));
    rows.push(
      ...page.items.map((r) => ({
        id: r.id,
        createdAt: r.createdAt,
        method: r.method,
        endpoint: r.endpoint,
        statusCode: r.statusCode,
        ipAddress: r.ipAddress,
        userAgent: r.userAgent,
        apiKeyId: r.apiKeyId,
        details: r.details,
      })),
    );
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

/** A chat's title as its member sees it: join these after `chats`. */
const titled = {
  chatType: chats.type,
  chatName: chats.name,
  otherName: directOtherUser.name,
};

async function readChats(tx: Tx, userId: string, workspace: string): Promise<ExportedChat[]> {
  const mine = alias(chatMembers, "mine");
  const rows = await tx
    .select({ id: chats.id, role: mine.role, joinedAt: mine.joinedAt, ...titled })
    .from(mine)
    .innerJoin(chats, eq(chats.id, mine.chatId))
    .leftJoin(directOther, directOtherOn(userId))
    .leftJoin(directOtherUser, eq(directOtherUser.id, directOther.userId))
    .where(eq(mine.userId, userId))
    .orderBy(chats.createdAt, chats.id);
  return rows.map((r) => ({
    id: r.id,
    workspace,
    type: r.chatType,
    title: chatTitle(r.chatType, r.chatName, r.otherName),
    role: r.role,
    joinedAt: r.joinedAt,
  }));
}

async function readMessages(actor: {
  userId: string;
  organizationId: string;
}): Promise<ExportedMessage[]> {
  const { userId } = actor;
  const rows = await readPages(
    (cursor) =>
      withRls(actor, (tx) =>
        tx
          .select({
            id: messages.id,
            chatId: messages.chatId,
            type: messages.type,
            content: messages.content,
            createdAt: messages.createdAt,
            cursorAt: cursorTime(messages.createdAt),
            editedAt: messages.editedAt,
            deletedAt: messages.deletedAt,
            replyToId: messages.replyToId,
            threadRootId: messages.threadRootId,
            ...titled,
          })
          .from(messages)
          .innerJoin(chats, eq(chats.id, messages.chatId))
          .leftJoin(directOther, directOtherOn(userId))
          .leftJoin(directOtherUser, eq(directOtherUser.id, directOther.userId))
          // Only what they sent: other people's words are theirs, not this person's.
          .where(
            and(
              eq(messages.senderId, userId),
              afterTimeCursor({ at: messages.createdAt, id: messages.id }, cursor),
            ),
          )
          .orderBy(desc(messages.createdAt), desc(messages.id))
          .limit(PAGE),
      ),
    (last) => encodeTimeCursor(last.cursorAt, last.id),
  );
  return rows.reverse().map((r) => ({
    id: r.id,
    chatId: r.chatId,
    chatTitle: chatTitle(r.chatType, r.chatName, r.otherName),
    type: r.type,
    content: r.content,
    createdAt: r.createdAt,
    editedAt: r.editedAt,
    deletedAt: r.deletedAt,
    replyToId: r.replyToId,
    threadRootId: r.threadRootId,
  }));
}

async function readReactions(tx: Tx, userId: string): Promise<ExportedReaction[]> {
  const rows = await tx
    .select({
      messageId: messageReactions.messageId,
      chatId: messageReactions.chatId,
      emoji: messageReactions.emoji,
      createdAt: messageReactions.createdAt,
      ...titled,
    })
    .from(messageReactions)
    .innerJoin(chats, eq(chats.id, messageReactions.chatId))
    .leftJoin(directOther, directOtherOn(userId))
    .leftJoin(directOtherUser, eq(directOtherUser.id, directOther.userId))
    .where(eq(messageReactions.userId, userId))
    .orderBy(messageReactions.createdAt);
  return rows.map((r) => ({
    messageId: r.messageId,
    chatId: r.chatId,
    chatTitle: chatTitle(r.chatType, r.chatName, r.otherName),
    emoji: r.emoji,
    createdAt: r.createdAt,
  }));
}

async function readFiles(tx: Tx, userId: string): Promise<ExportedFile[]> {
  const rows = await tx
    .select({
      id: messageAttachments.id,
      chatId: messageAttachments.chatId,
      messageId: messageAttachments.messageId,
      fileName: messageAttachments.fileName,
      mimeType: messageAttachments.mimeType,
      fileSize: messageAttachments.fileSize,
      createdAt: messageAttachments.createdAt,
      storagePath: messageAttachments.storagePath,
      ...titled,
    })
    .from(messageAttachments)
    .innerJoin(chats, eq(chats.id, messageAttachments.chatId))
    .leftJoin(directOther, directOtherOn(userId))
    .leftJoin(directOtherUser, eq(directOtherUser.id, directOther.userId))
    // Sent files only: an upload never bound to a message is on its way out.
    .where(and(eq(messageAttachments.uploaderId, userId), isNotNull(messageAttachments.messageId)))
    .orderBy(messageAttachments.createdAt, messageAttachments.id);
  return rows.map((r) => ({
    id: r.id,
    chatId: r.chatId,
    chatTitle: chatTitle(r.chatType, r.chatName, r.otherName),
    messageId: r.messageId,
    fileName: r.fileName,
    mimeType: r.mimeType,
    fileSize: r.fileSize,
    createdAt: r.createdAt,
    storagePath: r.storagePath,
  }));
}

/**
 * Gathers a person's data. Everything but sessions is read AS them, under Row-Level Security,
 * so the database decides what is theirs to see: chats, messages, reactions and files once in
 * each workspace they belong to (membership of a chat is a workspace's). `onSection` is told
 * as each section is done.
 */
export async function collectUserData(
  db: Database,
  userId: string,
  onSection: (section: CollectedSection) => Promise<void> = async () => {},
): Promise<CollectedData> {
  const personal = await withRls(userId, async (tx) => ({
    profile: await getProfile(tx, { userId }),
    preferences: await getPreferences(tx, { userId }),
    metas: await listMetas(tx, { userId }),
    apiKeys: await listApiKeys(tx, { userId }),
  }));
  await onSection("profile");
  const sessions = await readSessions(db, userId);
  await onSection("sessions");
  const auditTrail = await readAuditTrail(userId);
  await onSection("auditTrail");
  const workspaces = await withRls(userId, (tx) =>
    tx
      .select({
        id: organization.id,
        name: organization.name,
        role: member.role,
        joinedAt: member.createdAt,
      })
      .from(member)
      .innerJoin(organization, eq(organization.id, member.organizationId))
      .where(eq(member.userId, userId))
      .orderBy(member.createdAt),
  );
  await onSection("workspaces");

  const collected: Pick<CollectedData, "chats" | "messages" | "reactions" | "files"> = {
    chats: [],
    messages: [],
    reactions: [],
    files: [],
  };
  for (const workspace of workspaces) {
    const actor = { userId, organizationId: workspace.id };
    const inWorkspace = await withRls(actor, async (tx) => ({
      chats: await readChats(tx, userId, workspace.name),
      reactions: await readReactions(tx, userId),
      files: await readFiles(tx, userId),
    }));
    collected.chats.push(...inWorkspace.chats);
    collected.reactions.push(...inWorkspace.reactions);
    collected.files.push(...inWorkspace.files);
    collected.messages.push(...(await readMessages(actor)));
  }
  for (const section of ["chats", "messages", "reactions", "files"] as const) {
    await onSection(section);
  }
  return { ...personal, sessions, auditTrail, workspaces, ...collected };
}
