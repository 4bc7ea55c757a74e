import "server-only";

import {
  callTopic,
  chatTopic,
  userTopic,
  type ChatEvents,
  type UserEvents,
} from "@/lib/realtime/events";
import type { DomainEvent } from "./events";
import { subscribe } from "./publisher";

/** Where the server's realtime messages go: Parley's gateway, or hosted Supabase. */
export interface RealtimeSink {
  broadcast(topic: string, event: string, payload: object): void;
  /** Re-check who may stay on a topic (a no-op where the service re-checks on its own). */
  reauthorize(topic: string, userIds: string[] | null): void;
}

export interface Outgoing {
  topic: string;
  event: string;
  payload: object;
}

/**
 * What each domain event becomes on the wire. `chat:<id>` carries what a member looking at
 * the chat needs; `user:<id>` what that user's chat list needs. Payloads carry ids and the
 * chat's `seq`, never message text: clients fetch through tRPC, under RLS. The payloads are
 * typed by the browser's contract (`lib/realtime/events.ts`), so the two cannot drift apart.
 */
export function broadcastsFor(event: DomainEvent): Outgoing[] {
  const out: Outgoing[] = [];
  const toChatOf = <E extends keyof ChatEvents>(chatId: string, name: E, payload: ChatEvents[E]) =>
    out.push({ topic: chatTopic(chatId), event: name, payload });
  /** The event's own chat: every event but a status change (which reaches several) has one. */
  const toChat = <E extends keyof ChatEvents>(name: E, payload: ChatEvents[E]) => {
    if (!("chatId" in event)) throw new Error(`${event.type} belongs to no one chat`);
    toChatOf(event.chatId, name, payload);
  };
  const toUsers = <E extends keyof UserEvents>(ids: string[], name: E, payload: UserEvents[E]) => {
    for (const id of ids) out.push({ topic: userTopic(id), event: name, payload });
  };
  switch (event.type) {
    case "message.created": {
      const { chatId, messageId, seq, senderId } = event;
      const threadRootId = event.threadRootId ?? null;
      toChat(event.type, { chatId, messageId, seq, senderId, threadRootId });
      toUsers(event.memberIds, "chat.activity", {
        chatId,
        messageId,
        seq,
        kind: "created",
        senderId,
        threadRootId,
      });
      return out;
    }
    case "saved.changed": {
      const { userId, chatId, messageId, saved } = event;
      toUsers([userId], "saved.changed", { chatId, messageId, saved });
      return out;
    }
    case "status.changed": {
      const { userId, chatIds } = event;
      toUsers([userId], "status.changed", { userId });
      for (const chatId of chatIds) toChatOf(chatId, "member.status", { chatId, userId });
      return out;
    }
    case "thread.changed": {
      const { chatId, rootId, userId } = event;
      toUsers([userId], "thread.changed", { chatId, rootId });
      return out;
    }
    case "message.updated":
    case "message.deleted": {
      const { chatId, messageId, seq } = event;
      toChat(event.type, { chatId, messageId, seq });
      const kind = event.type === "message.updated" ? "updated" : "deleted";
      toUsers(event.memberIds, "chat.activity", { chatId, messageId, seq, kind });
      return out;
    }
    case "reaction.changed": {
      const { chatId, messageId, seq, userId, emoji, action } = event;
      toChat(event.type, { chatId, messageId, seq, userId, emoji, action });
      return out;
    }
    case "pin.changed": {
      const { chatId, messageId, seq, action } = event;
      toChat(event.type, { chatId, messageId, seq, action });
      return out;
    }
    case "member.read": {
      const { chatId, userId, lastReadSeq, lastDeliveredSeq, readVisibleToMembers } = event;
      // Read receipts are two-way and a topic cannot filter per member: where any member
      // hides theirs, read moves are not announced and the read pointer goes out as 0.
      if (readVisibleToMembers) {
        toChat(event.type, { chatId, userId, lastReadSeq, lastDeliveredSeq });
      } else if (event.pointer === "delivered") {
        toChat(event.type, { chatId, userId, lastReadSeq: 0, lastDeliveredSeq });
      }
      toUsers([userId], "chat.read", { chatId, lastReadSeq });
      return out;
    }
    case "chat.updated": {
      const payload = { chatId: event.chatId, change: event.change, seq: event.seq };
      // Hiding a chat or changing one's own settings concerns only that member.
      if (event.change !== "hidden" && event.change !== "settings") toChat("chat.updated", payload);
      toUsers(event.userIds, "chat.updated", payload);
      return out;
    }
    case "member.changed": {
      const { chatId, userId, change, seq } = event;
      toChat("member.changed", { chatId, userId, change, seq });
      if (change === "added") toUsers([userId], "chat.added", { chatId, seq });
      else if (change === "removed" || change === "left") {
        toUsers([userId], "chat.removed", { chatId, change, seq });
      }
      toUsers(
        event.memberIds.filter((id) => id !== userId),
        "chat.updated",
        { chatId, change: "members", seq },
      );
      return out;
    }
    case "call.changed": {
      const { chatId, callId } = event;
      toChat("call.changed", { chatId, callId });
      toUsers(event.memberIds, "call.changed", { chatId, callId });
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
  // Whoever is no longer in the call (or everyone, once it is over) loses its signalling.
  if (event.type === "call.changed") return [{ topic: callTopic(event.callId), userIds: null }];
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
