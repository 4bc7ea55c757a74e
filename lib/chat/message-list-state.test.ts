import { describe, expect, it } from "vitest";
import type { MessageView } from "@/server/contracts/messages";
import {
  addPending,
  initialConversation,
  markPending,
  mergeMessages,
  prependOlder,
  statusOf,
  type PendingMessage,
} from "./message-list-state";

const CHAT = "00000000-0000-4000-8000-000000000001";

function message(seq: number, id = `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`) {
  return {
    id,
    chatId: CHAT,
    seq,
    type: "text",
    content: `message ${seq}`,
    sender: null,
    replyTo: null,
    metadata: null,
    attachments: [],
    reactions: [],
    edited: false,
    editedAt: null,
    deleted: false,
    deletedAt: null,
    deletedBy: null,
    createdAt: new Date(0),
    status: null,
    readBy: null,
  } satisfies MessageView;
}

function pending(id: string): PendingMessage {
  return {
    id,
    chatId: CHAT,
    content: "hi",
    replyToId: null,
    attachments: [],
    createdAt: new Date(0),
    state: "sending",
  };
}

describe("conversation state", () => {
  it("keeps messages in seq order, once each, whatever order they arrive in", () => {
    let state = initialConversation({ messages: [message(3), message(1)], hasOlder: false });
    state = mergeMessages(state, [message(5), message(4), message(3)]);
    state = prependOlder(state, { messages: [message(2)], hasOlder: true });
    expect(state.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(state.hasOlder).toBe(true);
  });

  it("replaces a message by id (an edit or a delete fetched again)", () => {
    let state = initialConversation({ messages: [message(1)], hasOlder: false });
    state = mergeMessages(state, [{ ...message(1), content: null, deleted: true }]);
    expect(state.messages).toHaveLength(1);
    expect(state.messages[0]?.deleted).toBe(true);
  });

  it("drops a pending message when its confirmed copy arrives, by either path", () => {
    const sent = message(7, "00000000-0000-4000-8000-0000000000aa");
    let state = initialConversation({ messages: [], hasOlder: false });
    state = addPending(state, pending(sent.id));
    state = addPending(state, pending("00000000-0000-4000-8000-0000000000bb"));
    expect(state.pending).toHaveLength(2);
    state = mergeMessages(state, [sent]);
    expect(state.pending.map((p) => p.id)).toEqual(["00000000-0000-4000-8000-0000000000bb"]);
    // A late echo of the optimistic copy must not bring it back.
    expect(addPending(state, pending(sent.id)).pending).toHaveLength(1);
  });

  it("marks a failed send and lets a retry reuse the same id", () => {
    const id = "00000000-0000-4000-8000-0000000000cc";
    let state = addPending(initialConversation({ messages: [], hasOlder: false }), pending(id));
    state = markPending(state, id, { state: "failed", error: "offline" });
    expect(state.pending[0]).toMatchObject({ id, state: "failed", error: "offline" });
    state = markPending(state, id, { state: "sending", error: undefined });
    expect(state.pending).toHaveLength(1);
    expect(state.pending[0]?.state).toBe("sending");
  });
});

describe("statusOf", () => {
  const member = (userId: string, lastReadSeq: number, lastDeliveredSeq: number) => ({
    userId,
    lastReadSeq,
    lastDeliveredSeq,
  });

  it("is read only once every other member read it, delivered once all received it", () => {
    const others = [member("b", 5, 9), member("c", 9, 9)];
    expect(statusOf(4, { others })).toEqual({ status: "read", readBy: 2 });
    expect(statusOf(6, { others })).toEqual({ status: "delivered", readBy: 1 });
    expect(statusOf(10, { others })).toEqual({ status: "sent", readBy: 0 });
  });

  it("stays sent in a chat with nobody else", () => {
    expect(statusOf(1, { others: [] })).toEqual({ status: "sent", readBy: 0 });
  });
});
