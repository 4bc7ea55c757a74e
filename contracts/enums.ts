/**
 * The value sets of Parley's enumerated columns. The database's CHECK constraints, Drizzle's
 * column types and the zod contracts are all built from these lists.
 */
export const CHAT_TYPES = ["direct", "group"] as const;
/** Who can find and join a group: its members' invitations only, or anyone signed in. */
export const CHAT_VISIBILITIES = ["private", "public"] as const;
export const CHAT_ROLES = ["owner", "admin", "member"] as const;
export const NOTIFICATION_LEVELS = ["all", "mentions", "none"] as const;
export const MESSAGE_TYPES = ["text", "image", "file", "audio", "video", "system"] as const;
export const META_DATA_TYPES = ["text", "number", "boolean", "json"] as const;
/** How a message mentions someone: by name, everyone (`@channel`), or everyone online (`@here`). */
export const MENTION_KINDS = ["user", "here", "channel"] as const;

export type ChatType = (typeof CHAT_TYPES)[number];
export type ChatVisibility = (typeof CHAT_VISIBILITIES)[number];
export type ChatRole = (typeof CHAT_ROLES)[number];
export type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number];
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type MetaDataType = (typeof META_DATA_TYPES)[number];
export type MentionKind = (typeof MENTION_KINDS)[number];
/** A web push for one device: waiting (or retrying), delivered, or given up. */
export const PUSH_DELIVERY_STATUSES = ["queued", "sent", "failed"] as const;

/** The queues whose refused work is set aside in `dead_letters`. */
export const DEAD_LETTER_QUEUES = [
  "audit",
  "storage_deletions",
  "notifications",
  "push",
  "data_exports",
  "account_deletions",
] as const;
export type DeadLetterQueue = (typeof DEAD_LETTER_QUEUES)[number];

/** A person's copy of their data: waiting, being built, downloadable, given up, or gone. */
export const DATA_EXPORT_STATUSES = ["queued", "running", "ready", "failed", "expired"] as const;
export type DataExportStatus = (typeof DATA_EXPORT_STATUSES)[number];
