import type { MessageView } from "@/server/contracts/messages";

/**
 * A conversation as the browser holds it: confirmed messages in seq order, and the ones this
 * user sent that the server has not confirmed yet. A pending message keeps the id the
 * browser generated, and the server stores the message under that id, so the confirmed copy
 * replaces it, however the two meet (the send's reply or a realtime gap-fill).
 */
export interface PendingMessage {
  id: string;
  chatId: string;
  content: string;
  replyToId: string | null;
  /** Files already uploaded, sent with the message. */
  attachments: { id: string; fileName: string }[];
  createdAt: Date;
  state: "sending" | "failed";
  error?: string;
}

export interface ConversationState {
  messages: MessageView[];
  pending: PendingMessage[];
  /** More messages exist before the first one held. */
  hasOlder: boolean;
}

export function initialConversation(page: {
  messages: MessageView[];
  hasOlder: boolean;
}): ConversationState {
  return { messages: sortBySeq(dedupe(page.messages)), pending: [], hasOlder: page.hasOlder };
}

function sortBySeq(messages: MessageView[]): MessageView[] {
  return [...messages].sort((a, b) => a.seq - b.seq);
}

function dedupe(messages: MessageView[]): MessageView[] {
  const byId = new Map<string, MessageView>();
  for (const message of messages) byId.set(message.id, message);
  return [...byId.values()];
}

/** Adds or replaces messages (by id); confirmed ones leave the pending list. */
export function mergeMessages(
  state: ConversationState,
  incoming: MessageView[],
): ConversationState {
  if (incoming.length === 0) return state;
  const byId = new Map(state.messages.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  const confirmed = new Set(incoming.map((m) => m.id));
  return {
    ...state,
    messages: sortBySeq([...byId.values()]),
    pending: state.pending.some((p) => confirmed.has(p.id))
      ? state.pending.filter((p) => !confirmed.has(p.id))
      : state.pending,
  };
}

/** Older messages fetched for scroll-back. */
export function prependOlder(
  state: ConversationState,
  page: { messages: MessageView[]; hasOlder: boolean },
): ConversationState {
  return { ...mergeMessages(state, page.messages), hasOlder: page.hasOlder };
}

export function addPending(state: ConversationState, pending: PendingMessage): ConversationState {
  if (state.messages.some((m) => m.id === pending.id)) return state;
  return {
    ...state,
    pending: [...state.pending.filter((p) => p.id !== pending.id), pending],
  };
}

export function markPending(
  state: ConversationState,
  id: string,
  change: Pick<PendingMessage, "state" | "error">,
): ConversationState {
  return {
    ...state,
    pending: state.pending.map((p) => (p.id === id ? { ...p, ...change } : p)),
  };
}

export function discardPending(state: ConversationState, id: string): ConversationState {
  return { ...state, pending: state.pending.filter((p) => p.id !== id) };
}

export function updateReactions(
  state: ConversationState,
  messageId: string,
  reactions: MessageView["reactions"],
): ConversationState {
  return {
    ...state,
    messages: state.messages.map((m) => (m.id === messageId ? { ...m, reactions } : m)),
  };
}

export interface ReadPointers {
  /** Per member other than me: how far they have read and received. */
  others: { userId: string; lastReadSeq: number; lastDeliveredSeq: number }[];
}

/**
 * The status of one of my messages from the other members' pointers, the same rule the
 * server applies: read once everyone else read it, delivered once everyone else received it.
 */
export function statusOf(
  seq: number,
  pointers: ReadPointers,
): { status: "sent" | "delivered" | "read"; readBy: number } {
  const { others } = pointers;
  if (others.length === 0) return { status: "sent", readBy: 0 };
  const readBy = others.filter((o) => o.lastReadSeq >= seq).length;
  if (readBy === others.length) return { status: "read", readBy };
  if (others.every((o) => o.lastDeliveredSeq >= seq)) return { status: "delivered", readBy };
  return { status: "sent", readBy };
}
