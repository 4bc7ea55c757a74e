import { describe, expect, it } from "vitest";
import type { MessageView } from "@/contracts/messages";
import {
  acceptLive,
  addPending,
  appendNewer,
  initialConversation,
  markPending,
  mergeMessages,
  prependOlder,
  replaceMessage,
  replaceWindow,
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
    mentions: [],
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
    pinned: null,
    saved: false,
    linkPreview: null,
    threadRootId: null,
    thread: null,
    forwarded: false,
  } satisfies MessageView;
}

function pending(id: string): PendingMessage {
  return {
    id,
    clientKey: `key-${id}`,
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
    let state = initialConversation({ messages: [message(3), message(2)], hasOlder: true });
    state = mergeMessages(state, [message(5), message(4), message(3)]);
    state = prependOlder(state, { messages: [message(1)], hasOlder: true }, 2);
    expect(state.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(state.hasOlder).toBe(true);
  });

  it("adds an older page only to a window that still starts where it was asked for", () => {
    const state = initialConversation({ messages: [message(10), message(11)], hasOlder: true });
    const page = { messages: [message(8), message(9)], hasOlder: false };
    expect(prependOlder(state, page, 10).messages.map((m) => m.seq)).toEqual([8, 9, 10, 11]);
    // A jump replaced the window meanwhile: the page would leave a gap, so it is dropped.
    const jumped = replaceWindow(state, {
      messages: [message(40), message(41)],
      hasOlder: true,
      hasNewer: true,
    });
    expect(prependOlder(jumped, page, 10)).toBe(jumped);
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

const seqs = (list: MessageView[]) => list.map((m) => m.seq);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

describe("a window of older history", () => {
  const latest = () => initialConversation({ messages: range(51, 60), hasOlder: true });

  it("appends new messages while the latest ones are on screen", () => {
    const state = acceptLive(latest(), [message(61)]);
    expect(seqs(state.messages).at(-1)).toBe(61);
    expect(state.held).toEqual([]);
  });

  it("holds new messages, once each and in order, while older history is on screen", () => {
    let state = replaceWindow(latest(), { messages: range(5, 14), hasOlder: true, hasNewer: true });
    expect(state.hasNewer).toBe(true);
    expect(seqs(state.messages)).toEqual(seqs(range(5, 14)));
    state = acceptLive(state, [message(62), message(61)]);
    state = acceptLive(state, [message(61), message(63)]);
    expect(seqs(state.messages)).toEqual(seqs(range(5, 14)));
    expect(seqs(state.held)).toEqual([61, 62, 63]);
  });

  it("loads newer pages below and goes live, with the held messages after, at the end", () => {
    let state = replaceWindow(latest(), { messages: range(5, 14), hasOlder: true, hasNewer: true });
    state = acceptLive(state, [message(61), message(62)]);
    state = appendNewer(state, { messages: range(15, 40), hasNewer: true }, 14);
    expect(state.hasNewer).toBe(true);
    expect(seqs(state.held)).toEqual([61, 62]);
    // The last page saw up to 61; 62 arrived after it was read and is only in `held`.
    state = appendNewer(state, { messages: range(41, 61), hasNewer: false }, 40);
    expect(state.hasNewer).toBe(false);
    expect(state.held).toEqual([]);
    expect(seqs(state.messages)).toEqual(seqs(range(5, 62)));
    // Live again: the next message is appended.
    expect(seqs(acceptLive(state, [message(63)]).messages).at(-1)).toBe(63);
  });

  it("drops a newer page meant for a window that was replaced meanwhile", () => {
    const state = replaceWindow(latest(), {
      messages: range(20, 29),
      hasOlder: true,
      hasNewer: true,
    });
    expect(appendNewer(state, { messages: range(15, 24), hasNewer: true }, 14)).toBe(state);
  });

  it("jumps back to the latest page, followed by what arrived while it loaded", () => {
    let state = replaceWindow(latest(), { messages: range(5, 14), hasOlder: true, hasNewer: true });
    state = acceptLive(state, [message(61), message(62), message(63)]);
    // The latest page was read when the chat had reached 62.
    state = replaceWindow(state, { messages: range(13, 62), hasOlder: true, hasNewer: false });
    expect(state.hasNewer).toBe(false);
    expect(state.held).toEqual([]);
    expect(seqs(state.messages)).toEqual(seqs(range(13, 63)));
  });

  it("keeps what arrived live while a jump's page loaded, when that page reaches the end", () => {
    // A message arrived (appended to the latest window) while the page around 55 loaded.
    let state = acceptLive(latest(), [message(61)]);
    state = replaceWindow(state, { messages: range(50, 60), hasOlder: true, hasNewer: false });
    expect(seqs(state.messages)).toEqual(seqs(range(50, 61)));
    expect(state.hasNewer).toBe(false);
  });

  it("keeps pending messages until their confirmed copies join the window", () => {
    const id = "00000000-0000-4000-8000-0000000000dd";
    let state = replaceWindow(latest(), { messages: range(5, 14), hasOlder: true, hasNewer: true });
    state = addPending(state, pending(id));
    state = acceptLive(state, [message(61, id)]);
    expect(state.pending).toHaveLength(1);
    state = replaceWindow(state, { messages: range(12, 60), hasOlder: true, hasNewer: false });
    expect(state.pending).toEqual([]);
    expect(state.messages.filter((m) => m.id === id)).toHaveLength(1);
  });

  it("replaces a changed message where it is, in the window or held, and adds none", () => {
    let state = replaceWindow(latest(), { messages: range(5, 14), hasOlder: true, hasNewer: true });
    state = acceptLive(state, [message(61)]);
    state = replaceMessage(state, { ...message(6), content: "edited" });
    state = replaceMessage(state, { ...message(61), content: "edited too" });
    const unchanged = replaceMessage(state, { ...message(30), content: "not loaded" });
    expect(unchanged).toBe(state);
    expect(state.messages.find((m) => m.seq === 6)?.content).toBe("edited");
    expect(state.held[0]?.content).toBe("edited too");
    expect(seqs(state.messages)).toEqual(seqs(range(5, 14)));
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
