import "server-only";

import { sql } from "drizzle-orm";
import { WEBHOOK_TEST_EVENT } from "@/contracts/webhooks";
import { queryRows } from "@/db/rows";
import { withRls } from "@/db/rls";
import type { Database, Tx } from "@/db/types";

/** One queued event and the endpoint it is for, as the worker claimed it. */
export interface ClaimedDelivery {
  id: number;
  endpointId: string;
  eventId: string;
  eventType: string;
  chatId: string | null;
  subject: { messageId?: string; userId?: string; emoji?: string };
  occurredAt: Date;
  ownerUserId: string | null;
  ownerOrganizationId: string | null;
}

/** Standard Webhooks' recommended envelope: what happened, when, and its data. */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

interface MessageRow {
  id: string;
  chatId: string;
  seq: string | number;
  senderId: string | null;
  type: string;
  content: string;
  threadRootId: string | null;
  replyToId: string | null;
  createdAt: Date | string;
  editedAt: Date | string | null;
  deletedAt: Date | string | null;
}

const iso = (value: Date | string | null) =>
  value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString();

/**
 * The payload of a delivery, built from what the endpoint's owner may read now, or null when
 * they may not read the chat the event is about (the delivery is then skipped).
 *
 * A person's endpoint reads as that person, under RLS, in the chat's workspace: what they see
 * in the app is what it gets. A workspace's endpoint gets the workspace's public rooms — the
 * chats every member of the workspace may find and join — and nothing else: never a direct
 * chat or a private group, whoever of its admins manages the endpoint.
 */
export async function buildPayload(
  db: Database,
  delivery: ClaimedDelivery,
): Promise<WebhookPayload | null> {
  const envelope = (data: Record<string, unknown>): WebhookPayload => ({
    type: delivery.eventType,
    timestamp: delivery.occurredAt.toISOString(),
    data,
  });
  if (delivery.eventType === WEBHOOK_TEST_EVENT) {
    return envelope({ endpointId: delivery.endpointId, test: true });
  }
  if (!delivery.chatId) return null;
  const [chat] = await queryRows<{ organizationId: string | null; public: boolean }>(
    db,
    sql`select c."organizationId", (c.visibility = 'public' and c."deletedAt" is null) as public
        from public.chats c where c.id = ${delivery.chatId}::uuid`,
  );
  if (!chat) return null;
  const chatData = { chatId: delivery.chatId, organizationId: chat.organizationId };
  const read = (run: (executor: Database | Tx) => Promise<Record<string, unknown> | null>) => {
    if (delivery.ownerUserId) {
      return withRls({ userId: delivery.ownerUserId, organizationId: chat.organizationId }, run);
    }
    if (!chat.public || chat.organizationId !== delivery.ownerOrganizationId) {
      return Promise.resolve(null);
    }
    return run(db);
  };
  const data = await read(async (executor) => {
    if (delivery.eventType.startsWith("member.")) {
      const [visible] = await queryRows<{ id: string }>(
        executor,
        sql`select id from public.chats where id = ${delivery.chatId}::uuid`,
      );
      return visible ? { ...chatData, userId: delivery.subject.userId ?? null } : null;
    }
    const [message] = await queryRows<MessageRow>(
      executor,
      sql`select id, "chatId", seq, "senderId", type, content, "threadRootId", "replyToId",
            "createdAt", "editedAt", "deletedAt"
          from public.messages
          where id = ${delivery.subject.messageId ?? null}::uuid and "chatId" = ${delivery.chatId}::uuid`,
    );
    if (!message) return null;
    if (delivery.eventType.startsWith("reaction.")) {
      return {
        ...chatData,
        messageId: message.id,
        userId: delivery.subject.userId ?? null,
        emoji: delivery.subject.emoji ?? null,
      };
    }
    const deleted = message.deletedAt !== null;
    return {
      ...chatData,
      message: {
        id: message.id,
        seq: Number(message.seq),
        senderId: message.senderId,
        type: message.type,
        // A deleted message's words are not sent anywhere again.
        content: deleted ? null : message.content,
        threadRootId: message.threadRootId,
        replyToId: message.replyToId,
        createdAt: iso(message.createdAt),
        editedAt: iso(message.editedAt),
        deletedAt: iso(message.deletedAt),
      },
    };
  });
  return data ? envelope(data) : null;
}
