import type { DomainEvent } from "./events";
import { subscribe } from "./publisher";
import { chatTopic, userTopic } from "./topics";

/** Where the server's realtime messages go: Parley's gateway, or hosted Supabase. */
export interface RealtimeSink {
  broadcast(topic: string, event: string, payload: Record<string, unknown>): void;
  /** Re-check who may stay on a topic (a no-op where the service re-checks on its own). */
  reauthorize(topic: string, userIds: string[] | null): void;
}

export interface Outgoing {
  topic: string;
  event: string;
  payload: Record<string, unknown>;
}

/**
 * What each domain event becomes on the wire. `chat:<id>` carries what a member looking at
 * the chat needs; `user:<id>` what that user's chat list needs. Payloads carry ids and the
 * chat's `seq`, never message text: clients fetch through tRPC, under RLS.
 */
export function broadcastsFor(event: DomainEvent): Outgoing[] {
  const out: Outgoing[] = [];
  const toMembers = (ids: string[], name: string, payload: Record<string, unknown>) => {
    for (const id of ids) out.push({ topic: userTopic(id), event: name, payload });
  };
  switch (event.type) {
    case "message.created":
    case "message.updated":
    case "message.deleted": {
      const { memberIds, type, ...rest } = event;
      out.push({ topic: chatTopic(event.chatId), event: type, payload: rest });
      toMembers(memberIds, "chat.activity", {
        chatId: event.chatId,
        messageId: event.messageId,
        seq: event.seq,
        kind: type.slice("message.".length),
        ...(event.type === "message.created" ? { senderId: event.senderId } : {}),
      });
      return out;
    }
    case "reaction.changed": {
      const { type, ...rest } = event;
      out.push({ topic: chatTopic(event.chatId), event: type, payload: rest });
      return out;
    }
    case "member.read": {
      const { type, ...rest } = event;
      out.push({ topic: chatTopic(event.chatId), event: type, payload: rest });
      out.push({
        topic: userTopic(event.userId),
        event: "chat.read",
        payload: { chatId: event.chatId, lastReadSeq: event.lastReadSeq },
      });
      return out;
    }
    case "chat.updated": {
      const payload = { chatId: event.chatId, change: event.change, seq: event.seq };
      // Hiding a chat or changing one's own settings concerns only that member.
      if (event.change !== "hidden" && event.change !== "settings") {
        out.push({ topic: chatTopic(event.chatId), event: "chat.updated", payload });
      }
      toMembers(event.userIds, "chat.updated", payload);
      return out;
    }
    case "member.changed": {
      const { chatId, userId, change, seq } = event;
      out.push({
        topic: chatTopic(chatId),
        event: "member.changed",
        payload: { chatId, userId, change, seq },
      });
      if (change === "added") {
        out.push({ topic: userTopic(userId), event: "chat.added", payload: { chatId, seq } });
      } else if (change === "removed" || change === "left") {
        out.push({
          topic: userTopic(userId),
          event: "chat.removed",
          payload: { chatId, change, seq },
        });
      }
      toMembers(
        event.memberIds.filter((id) => id !== userId),
        "chat.updated",
        { chatId, change: "members", seq },
      );
      return out;
    }
  }
}

/** Who must be re-checked after an event: removed members, everyone on a deleted chat. */
export function reauthorizationsFor(
  event: DomainEvent,
): { topic: string; userIds: string[] | null }[] {
  if (event.type === "member.changed" && (event.change === "removed" || event.change === "left")) {
    return [{ topic: chatTopic(event.chatId), userIds: [event.userId] }];
  }
  if (event.type === "chat.updated" && event.change === "deleted") {
    return [{ topic: chatTopic(event.chatId), userIds: null }];
  }
  return [];
}

/** Sends every domain event published in this process to the sink; returns a stop function. */
export function startDomainEventRelay(sink: RealtimeSink): () => void {
  return subscribe((event) => {
    for (const m of broadcastsFor(event)) sink.broadcast(m.topic, m.event, m.payload);
    for (const r of reauthorizationsFor(event)) sink.reauthorize(r.topic, r.userIds);
  });
}
