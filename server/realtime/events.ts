import "server-only";

/**
 * Domain events: what changed, published after the transaction that changed it commits.
 * Every chat event carries the chat's sequence number where a message is involved, so a
 * client that missed events asks for messages after the last `seq` it saw.
 */
export type MemberChange = "added" | "removed" | "left" | "role_changed";

export type DomainEvent =
  | {
      type: "message.created";
      chatId: string;
      messageId: string;
      seq: number;
      senderId: string | null;
      /** Set for a reply in a thread: the message the thread hangs off. */
      threadRootId?: string | null;
      /**
       * Whose user channels hear of it (chat list, unread): the chat's members, or for a
       * reply in a thread the thread's followers.
       */
      memberIds: string[];
    }
  | {
      /** A message was saved or unsaved: the saver's other tabs catch up. */
      type: "saved.changed";
      userId: string;
      chatId: string;
      messageId: string;
      saved: boolean;
    }
  | {
      /** Someone set or cleared their status: their chats' open views and their own tabs. */
      type: "status.changed";
      userId: string;
      chatIds: string[];
    }
  | {
      /** One member followed, unfollowed or read a thread: their other tabs catch up. */
      type: "thread.changed";
      chatId: string;
      rootId: string;
      userId: string;
    }
  | { type: "message.updated"; chatId: string; messageId: string; seq: number; memberIds: string[] }
  | { type: "message.deleted"; chatId: string; messageId: string; seq: number; memberIds: string[] }
  | {
      type: "reaction.changed";
      chatId: string;
      messageId: string;
      seq: number;
      userId: string;
      emoji: string;
      action: "added" | "removed";
    }
  | {
      type: "pin.changed";
      chatId: string;
      messageId: string;
      /** The pinned message's seq. */
      seq: number;
      action: "pinned" | "unpinned";
    }
  | {
      type: "member.read";
      chatId: string;
      userId: string;
      /** Which pointer moved. */
      pointer: "read" | "delivered";
      /**
       * Whether every member shares read receipts, so the read pointer may go on the chat's
       * topic. Otherwise read moves stay off it and delivered moves carry lastReadSeq 0.
       */
      readVisibleToMembers: boolean;
      lastReadSeq: number;
      lastDeliveredSeq: number;
    }
  | {
      type: "chat.updated";
      chatId: string;
      change: "created" | "updated" | "deleted" | "hidden" | "settings";
      /** Who is affected: every member for created/updated/deleted, one for hidden/settings. */
      userIds: string[];
      seq: number;
    }
  | {
      type: "member.changed";
      chatId: string;
      userId: string;
      change: MemberChange;
      /** The chat's members after the change, for fan-out to their user channels. */
      memberIds: string[];
      seq: number;
    }
  | {
      /** A call started, someone answered, declined, left or changed their devices, or it ended. */
      type: "call.changed";
      chatId: string;
      callId: string;
      memberIds: string[];
    };

export type DomainEventType = DomainEvent["type"];
