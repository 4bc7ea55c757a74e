import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type {
  CallKind,
  CallParticipantStatus,
  CallStatus,
  ConnectionState,
} from "@/contracts/calls";
import { user } from "./auth";
import { chats } from "./chat";
import { timestamptz } from "./columns";

/**
 * A call in a chat (drizzle/0042_calls.sql). Read by the chat's members; written only by the
 * call functions, which keep one live call per chat and move it through its states.
 */
export const callSessions = pgTable(
  "call_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    initiatorId: uuid("initiatorId").references(() => user.id, { onDelete: "set null" }),
    kind: text("kind").$type<CallKind>().notNull(),
    status: text("status").$type<CallStatus>().notNull().default("ringing"),
    maxParticipants: integer("maxParticipants").notNull(),
    roomData: jsonb("roomData").notNull().default({ topology: "mesh" }),
    createdAt: timestamptz("createdAt").notNull().defaultNow(),
    startedAt: timestamptz("startedAt"),
    endedAt: timestamptz("endedAt"),
    durationSeconds: integer("durationSeconds"),
  },
  (t) => [
    uniqueIndex("call_sessions_one_live_per_chat")
      .on(t.chatId)
      .where(sql`status IN ('ringing', 'active')`),
    index("idx_call_sessions_chat_created").on(t.chatId, t.createdAt.desc(), t.id.desc()),
    index("idx_call_sessions_initiator").on(t.initiatorId),
  ],
);

/** Who a call rang or holds, with their microphone, camera, screen and connection. */
export const callParticipants = pgTable(
  "call_participants",
  {
    callId: uuid("callId")
      .notNull()
      .references(() => callSessions.id, { onDelete: "cascade" }),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    status: text("status").$type<CallParticipantStatus>().notNull(),
    audioOn: boolean("audioOn").notNull().default(true),
    videoOn: boolean("videoOn").notNull().default(false),
    screenOn: boolean("screenOn").notNull().default(false),
    connectionState: text("connectionState").$type<ConnectionState>().notNull().default("new"),
    invitedAt: timestamptz("invitedAt").notNull().defaultNow(),
    joinedAt: timestamptz("joinedAt"),
    leftAt: timestamptz("leftAt"),
    lastSeenAt: timestamptz("lastSeenAt"),
  },
  (t) => [
    primaryKey({ columns: [t.callId, t.userId], name: "call_participants_pkey" }),
    index("idx_call_participants_user_status").on(t.userId, t.status),
    index("idx_call_participants_chat").on(t.chatId),
  ],
);
