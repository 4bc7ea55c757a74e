import type { MessageView } from "@/contracts/messages";

/**
 * A conversation as the browser holds it: confirmed messages in seq order, and the ones this
 * user sent that the server has not confirmed yet. A pending message keeps the id the
 * browser generated, and the server stores the message under that id, so the confirmed copy
 * replaces it, however the two meet (the send's reply or a realtime gap-fill).
 */
export interface PendingMessage {
  /** The id it is stored under: `messageIdFor(sender, clientKey)`. */
  id: string;
  /** Its idempotency key: every retry sends the same one, so it is stored once. */
  clientKey: string;
  chatId: string;
  content: string;
  replyToId: string | null;
  /** Files already uploaded, sent with the message. */
  attachments: { id: string; fileName: string }[];
  createdAt: Date;
  state: "sending" | "failed";
  error?: string;
  /** It failed for now only (offline, 429, 503): sent again once the connection is back. */
  retryable?: boolean;
}

export interface ConversationState {
  /** The window on screen: a run of the chat's messages without gaps, in seq order. */
  messages: MessageView[];
  pending: PendingMessage[];
  /** More messages exist before the first one in the window. */
  hasOlder: boolean;
  /**
   * More messages exist after the last one in the window: it shows older history (after a
   * jump to a message), not the latest. New messages then wait in `held` rather than being
   * appended after a gap.
   */
  hasNewer: boolean;
  /** New messages that arrived while the window was not the latest, in seq order. */
  held: MessageView[];
}

interface Page {
  messages: MessageView[];
  hasOlder: boolean;
  hasNewer: boolean;
}

export function initialConversation(
  page: Omit<Page, "hasNewer"> & { hasNewer?: boolean },
): ConversationState {
  return {
    messages: sortBySeq(dedupe(page.messages)),
    pending: [],
    hasOlder: page.hasOlder,
    hasNewer: page.hasNewer ?? false,
    held: [],
  };
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

/**
 * Older messages fetched for scroll-back: the page of those before seq `before`. It only
 * joins a window that still starts there (a jump meanwhile may have replaced it).
 */
export function prependOlder(
  state: ConversationState,
  page: Omit<Page, "hasNewer">,
  before: number,
): ConversationState {
  if (state.messages[0]?.seq !== before) return state;
  return { ...mergeMessages(state, page.messages), hasOlder: page.hasOlder };
}

/**
 * Brand-new messages (from realtime gap-fill, or the reply to one's own send): appended
 * when the window is the latest, held otherwise.
 */
export function acceptLive(state: ConversationState, incoming: MessageView[]): ConversationState {
  if (incoming.length === 0) return state;
  if (!state.hasNewer) return mergeMessages(state, incoming);
  return { ...state, held: sortBySeq(dedupe([...state.held, ...incoming])) };
}

/**
 * Everything newer than seq `through` that this state has: what realtime delivered since
 * a page was asked for, to follow that page when it reaches the latest message.
 */
function newerThan(state: ConversationState, through: number): MessageView[] {
  return [...state.messages, ...state.held].filter((m) => m.seq > through);
}

/**
 * A page that becomes the whole window: the one around a message after a jump, or the latest
 * one. A page that reaches the latest message takes on whatever arrived while it loaded.
 */
export function replaceWindow(state: ConversationState, page: Page): ConversationState {
  const base: ConversationState = {
    ...state,
    messages: [],
    held: [],
    hasOlder: page.hasOlder,
    hasNewer: page.hasNewer,
  };
  if (page.hasNewer) return mergeMessages(base, page.messages);
  const through = page.messages.at(-1)?.seq ?? 0;
  return mergeMessages(base, [...page.messages, ...newerThan(state, through)]);
}

/**
 * The page after seq `after`, below a window of older history. It only joins a window that
 * still ends there; once it reaches the latest message, the held messages follow it and the
 * window is live again.
 */
export function appendNewer(
  state: ConversationState,
  page: Omit<Page, "hasOlder">,
  after: number,
): ConversationState {
  if (!state.hasNewer || state.messages.at(-1)?.seq !== after) return state;
  const merged = mergeMessages(state, page.messages);
  if (page.hasNewer) return merged;
  const through = page.messages.at(-1)?.seq ?? after;
  return {
    ...mergeMessages(merged, newerThan(state, through)),
    held: [],
    hasNewer: false,
  };
}

/** A message fetched again after a change: replaced where it is, never added. */
export function replaceMessage(state: ConversationState, message: MessageView): ConversationState {
  const inWindow = state.messages.some((m) => m.id === message.id);
  const inHeld = state.held.some((m) => m.id === message.id);
  if (!inWindow && !inHeld) return state;
  return {
    ...(inWindow ? mergeMessages(state, [message]) : state),
    held: inHeld ? state.held.map((m) => (m.id === message.id ? message : m)) : state.held,
  };
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
  change: Pick<PendingMessage, "state" | "error" | "retryable">,
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
