/**
 * What Parley's server broadcasts on each topic, as the browser receives it. Events carry ids
 * and the chat's `seq`, never message bodies: a client fetches the rows through tRPC, where
 * RLS decides what it may read.
 */
/** Who is online, told per workspace: a token joins only its own workspace's. */
export const presenceTopic = (organizationId: string) => `presence:${organizationId}`;
export const isPresenceTopic = (topic: string) => topic.startsWith("presence:");
export const chatTopic = (chatId: string) => `chat:${chatId}`;
export const userTopic = (userId: string) => `user:${userId}`;
/** A call's signalling: offers, answers and ICE candidates between those in it. */
export const callTopic = (callId: string) => `call:${callId}`;

export interface ChatEvents {
  "message.created": {
    chatId: string;
    messageId: string;
    seq: number;
    senderId: string | null;
    /** Set for a reply in a thread: the message the thread hangs off. */
    threadRootId: string | null;
  };
  "message.updated": { chatId: string; messageId: string; seq: number };
  "message.deleted": { chatId: string; messageId: string; seq: number };
  "reaction.changed": {
    chatId: string;
    messageId: string;
    seq: number;
    userId: string;
    emoji: string;
    action: "added" | "removed";
  };
  "pin.changed": {
    chatId: string;
    messageId: string;
    seq: number;
    action: "pinned" | "unpinned";
  };
  "member.read": { chatId: string; userId: string; lastReadSeq: number; lastDeliveredSeq: number };
  "member.changed": {
    chatId: string;
    userId: string;
    change: "added" | "removed" | "left" | "role_changed";
    seq: number;
  };
  "chat.updated": { chatId: string; change: ChatChange; seq: number };
  /** A member set or cleared their status. */
  "member.status": { chatId: string; userId: string };
  /** Sent by members' browsers; the server stamps who is typing. */
  typing: { userId: string; name: string };
  "typing.stop": { userId: string; name: string };
  /** The chat's call changed: who is in it, their devices, or its state. */
  "call.changed": { chatId: string; callId: string };
}

/** `members` reaches the other members' user topics when someone joins or leaves. */
export type ChatChange = "created" | "updated" | "deleted" | "hidden" | "settings" | "members";

export interface UserEvents {
  "chat.activity": {
    chatId: string;
    messageId: string;
    seq: number;
    kind: "created" | "updated" | "deleted";
    senderId?: string | null;
    /** A reply in a thread the user follows. */
    threadRootId?: string | null;
  };
  /** The user followed, unfollowed or read a thread (in another tab, perhaps). */
  "thread.changed": { chatId: string; rootId: string };
  /** The user saved or unsaved a message (in another tab, perhaps). */
  "saved.changed": { chatId: string; messageId: string; saved: boolean };
  /** The user set or cleared their status (in another tab, perhaps). */
  "status.changed": { userId: string };
  "chat.read": { chatId: string; lastReadSeq: number };
  "chat.updated": { chatId: string; change: ChatChange; seq: number };
  "chat.added": { chatId: string; seq: number };
  "chat.removed": { chatId: string; change: "removed" | "left"; seq: number };
  /** The user left a workspace or was removed from it (told by the gateway itself). */
  "workspace.left": { organizationId: string };
  /** A call in one of the user's chats changed: one ringing for them, perhaps. */
  "call.changed": { chatId: string; callId: string };
}

/**
 * Sent on a call's topic by those in it; the gateway stamps the sender (`userId`). `to` names
 * the one participant it is for: the others drop it.
 */
export interface CallEvents {
  signal: { to: string; signal: unknown; userId: string; name: string | null };
}

export const CHAT_EVENTS: ReadonlySet<string> = new Set<keyof ChatEvents>([
  "message.created",
  "message.updated",
  "message.deleted",
  "reaction.changed",
  "pin.changed",
  "member.read",
  "member.changed",
  "chat.updated",
  "member.status",
  "typing",
  "typing.stop",
  "call.changed",
]);

export const USER_EVENTS: ReadonlySet<string> = new Set<keyof UserEvents>([
  "chat.activity",
  "chat.read",
  "chat.updated",
  "chat.added",
  "chat.removed",
  "thread.changed",
  "saved.changed",
  "status.changed",
  "workspace.left",
  "call.changed",
]);

/** One optional callback per event, each typed by its payload. */
export type EventHandlers<Events> = {
  [E in keyof Events]?: (payload: Events[E]) => void;
};

/**
 * One tracked presence, keyed by the user's id. Clients track exactly this. Parley's gateway
 * forces the key and fills the meta from the token's user whatever a client sends; hosted
 * Realtime passes the tracked meta on as it is.
 */
export interface PresenceMeta {
  userId: string;
  name: string;
  image: string | null;
  onlineAt: string;
}
