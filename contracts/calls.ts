import { z } from "zod";
import { pagingDirectionSchema } from "./chats";
import { userRefSchema } from "./messages";

export const CALL_KINDS = ["audio", "video"] as const;
export const CALL_STATUSES = ["ringing", "active", "ended", "missed", "declined"] as const;
export const LIVE_CALL_STATUSES = ["ringing", "active"] as const;
export const CALL_PARTICIPANT_STATUSES = [
  "ringing",
  "joined",
  "left",
  "declined",
  "missed",
] as const;
export const CONNECTION_STATES = [
  "new",
  "connecting",
  "connected",
  "disconnected",
  "failed",
  "closed",
] as const;

export type CallKind = (typeof CALL_KINDS)[number];
export type CallStatus = (typeof CALL_STATUSES)[number];
export type CallParticipantStatus = (typeof CALL_PARTICIPANT_STATUSES)[number];
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** How often a browser in a call says it is still there (the server's timeout is longer). */
export const CALL_HEARTBEAT_MS = 10_000;

export const callParticipantSchema = z.object({
  user: userRefSchema,
  status: z.enum(CALL_PARTICIPANT_STATUSES),
  audioOn: z.boolean(),
  videoOn: z.boolean(),
  screenOn: z.boolean(),
  connectionState: z.enum(CONNECTION_STATES),
  joinedAt: z.date().nullable(),
  leftAt: z.date().nullable(),
});
export type CallParticipant = z.infer<typeof callParticipantSchema>;

export const callSchema = z.object({
  id: z.uuid(),
  chatId: z.uuid(),
  /** The chat as the caller sees it: a group's name, a direct chat's other person. */
  chatTitle: z.string(),
  kind: z.enum(CALL_KINDS),
  status: z.enum(CALL_STATUSES),
  initiator: userRefSchema.nullable(),
  maxParticipants: z.number().int(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  endedAt: z.date().nullable(),
  durationSeconds: z.number().int().nullable(),
  participants: z.array(callParticipantSchema),
});
export type Call = z.infer<typeof callSchema>;

export const startCallInput = z.object({ chatId: z.uuid(), kind: z.enum(CALL_KINDS) }).strict();
export const callIdInput = z.object({ callId: z.uuid() }).strict();
export const chatCallInput = z.object({ chatId: z.uuid() }).strict();

export const heartbeatInput = z
  .object({
    callId: z.uuid(),
    audioOn: z.boolean(),
    videoOn: z.boolean(),
    screenOn: z.boolean(),
    connectionState: z.enum(CONNECTION_STATES),
  })
  .strict();

export const callStatusSchema = z.object({ status: z.enum(CALL_STATUSES) });

/** The calls that concern the caller now: ringing for them, and the one they are in. */
export const myCallsSchema = z.object({
  incoming: z.array(callSchema),
  joined: callSchema.nullable(),
});
export type MyCalls = z.infer<typeof myCallsSchema>;

export const callHistoryInput = z
  .object({
    chatId: z.uuid(),
    cursor: z.string().max(200).optional(),
    direction: pagingDirectionSchema,
    limit: z.number().int().min(1).max(50).default(20),
  })
  .strict();

export const callHistorySchema = z.object({
  items: z.array(callSchema),
  nextCursor: z.string().nullable(),
});

/** What a browser needs to reach its peers: STUN, and TURN with short-lived credentials. */
export const iceServersSchema = z.object({
  iceServers: z.array(
    z.object({
      urls: z.array(z.string()),
      username: z.string().optional(),
      credential: z.string().optional(),
    }),
  ),
  /** Seconds the TURN credentials stay valid; null without TURN. */
  ttlSeconds: z.number().int().nullable(),
});
export type IceServers = z.infer<typeof iceServersSchema>;
