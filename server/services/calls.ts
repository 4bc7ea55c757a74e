import "server-only";

import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import { callParticipants, callSessions, chats, messages, user } from "@/db/schema";
import {
  LIVE_CALL_STATUSES,
  type Call,
  type CallKind,
  type CallStatus,
  type ConnectionState,
  type MyCalls,
} from "@/contracts/calls";
import { AppError, refusedOverLimit, sqlState } from "@/server/errors";
import { env } from "@/server/env";
import { publishAfterCommit } from "@/server/realtime/publisher";
import { memberIds } from "./chat-read";
import { chatTitle } from "./chat-title";
import { afterTimeCursor, cursorTime, encodeTimeCursor } from "./time-cursor";

/** The calls `where` picks, newest first, each with its participants, as the caller sees them. */
async function readCalls(
  tx: Tx,
  params: { userId: string; where: SQL | undefined; limit: number },
): Promise<(Call & { cursorAt: string })[]> {
  const initiator = alias(user, "initiator");
  const rows = await tx
    .select({
      id: callSessions.id,
      chatId: callSessions.chatId,
      chatType: chats.type,
      chatName: chats.name,
      kind: callSessions.kind,
      status: callSessions.status,
      initiatorId: initiator.id,
      initiatorName: initiator.name,
      initiatorImage: initiator.image,
      maxParticipants: callSessions.maxParticipants,
      createdAt: callSessions.createdAt,
      cursorAt: cursorTime(callSessions.createdAt),
      startedAt: callSessions.startedAt,
      endedAt: callSessions.endedAt,
      durationSeconds: callSessions.durationSeconds,
    })
    .from(callSessions)
    .innerJoin(chats, eq(chats.id, callSessions.chatId))
    .leftJoin(initiator, eq(initiator.id, callSessions.initiatorId))
    .where(params.where)
    .orderBy(desc(callSessions.createdAt), desc(callSessions.id))
    .limit(params.limit);
  if (rows.length === 0) return [];
  const people = await tx
    .select({
      callId: callParticipants.callId,
      id: user.id,
      name: user.name,
      image: user.image,
      status: callParticipants.status,
      audioOn: callParticipants.audioOn,
      videoOn: callParticipants.videoOn,
      screenOn: callParticipants.screenOn,
      connectionState: callParticipants.connectionState,
      joinedAt: callParticipants.joinedAt,
      leftAt: callParticipants.leftAt,
    })
    .from(callParticipants)
    .innerJoin(user, eq(user.id, callParticipants.userId))
    .where(
      inArray(
        callParticipants.callId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(callParticipants.invitedAt, user.name);
  return rows.map((r) => {
    const participants = people
      .filter((p) => p.callId === r.id)
      .map((p) => ({
        user: { id: p.id, name: p.name, image: p.image },
        status: p.status,
        audioOn: p.audioOn,
        videoOn: p.videoOn,
        screenOn: p.screenOn,
        connectionState: p.connectionState,
        joinedAt: p.joinedAt,
        leftAt: p.leftAt,
      }));
    // Everyone in a direct chat is rung, so its other person is among the participants.
    const other = participants.find((p) => p.user.id !== params.userId)?.user.name ?? null;
    return {
      id: r.id,
      chatId: r.chatId,
      chatTitle: chatTitle(r.chatType, r.chatName, other),
      kind: r.kind,
      status: r.status,
      initiator: r.initiatorId
        ? { id: r.initiatorId, name: r.initiatorName!, image: r.initiatorImage }
        : null,
      maxParticipants: r.maxParticipants,
      createdAt: r.createdAt,
      cursorAt: r.cursorAt,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      durationSeconds: r.durationSeconds,
      participants,
    };
  });
}

const withoutCursor = ({ cursorAt: _cursor, ...call }: Call & { cursorAt: string }): Call => call;

/** One call the caller may see; NOT_FOUND otherwise. */
export async function getCall(tx: Tx, params: { userId: string; callId: string }): Promise<Call> {
  const [call] = await readCalls(tx, {
    userId: params.userId,
    where: eq(callSessions.id, params.callId),
    limit: 1,
  });
  if (!call) throw new AppError("NOT_FOUND", "Call not found");
  return withoutCursor(call);
}

/** The chat's live call, if there is one. */
export async function chatCall(
  tx: Tx,
  params: { userId: string; chatId: string },
): Promise<Call | null> {
  const [call] = await readCalls(tx, {
    userId: params.userId,
    where: and(
      eq(callSessions.chatId, params.chatId),
      inArray(callSessions.status, [...LIVE_CALL_STATUSES]),
    ),
    limit: 1,
  });
  return call ? withoutCursor(call) : null;
}

/** The id of the chat's live call, if there is one (one index lookup). */
export async function liveCallId(tx: Tx, params: { chatId: string }): Promise<string | null> {
  const [row] = await tx
    .select({ id: callSessions.id })
    .from(callSessions)
    .where(
      and(
        eq(callSessions.chatId, params.chatId),
        inArray(callSessions.status, [...LIVE_CALL_STATUSES]),
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

/** The live calls ringing for the caller, and the one they are in. */
export async function myCalls(tx: Tx, params: { userId: string }): Promise<MyCalls> {
  const mine = (status: "ringing" | "joined") =>
    sql`${callSessions.status} in ('ringing', 'active') and exists (
      select 1 from public.call_participants p
      where p."callId" = ${callSessions.id} and p."userId" = ${params.userId}::uuid
        and p.status = ${status})`;
  const [incoming, joined] = await Promise.all([
    readCalls(tx, { userId: params.userId, where: mine("ringing"), limit: 10 }),
    readCalls(tx, { userId: params.userId, where: mine("joined"), limit: 1 }),
  ]);
  return {
    incoming: incoming.map(withoutCursor),
    joined: joined[0] ? withoutCursor(joined[0]) : null,
  };
}

/** A chat's calls, newest first, a page at a time. */
export async function callHistory(
  tx: Tx,
  params: { userId: string; chatId: string; cursor?: string | undefined; limit: number },
): Promise<{ items: Call[]; nextCursor: string | null }> {
  const rows = await readCalls(tx, {
    userId: params.userId,
    where: and(
      eq(callSessions.chatId, params.chatId),
      afterTimeCursor({ at: callSessions.createdAt, id: callSessions.id }, params.cursor),
    ),
    limit: params.limit + 1,
  });
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    items: page.map(withoutCursor),
    nextCursor:
      rows.length > params.limit && last ? encodeTimeCursor(last.cursorAt, last.id) : null,
  };
}

/**
 * After a change to a call: its members hear that it changed, and the chat hears of the
 * event line the change wrote (a call started or over), if any.
 */
export async function announceCallChange(
  tx: Tx,
  params: { chatId: string; callId: string; line: boolean },
): Promise<void> {
  const members = await memberIds(tx, { chatId: params.chatId });
  if (params.line) {
    const [line] = await tx
      .select({ id: messages.id, seq: messages.seq, senderId: messages.senderId })
      .from(messages)
      .where(
        and(
          eq(messages.chatId, params.chatId),
          eq(messages.type, "system"),
          sql`${messages.metadata}->>'callId' = ${params.callId}`,
        ),
      )
      .orderBy(desc(messages.seq))
      .limit(1);
    if (line) {
      publishAfterCommit(tx, {
        type: "message.created",
        chatId: params.chatId,
        messageId: line.id,
        seq: line.seq,
        senderId: line.senderId,
        memberIds: members,
      });
    }
  }
  publishAfterCommit(tx, {
    type: "call.changed",
    chatId: params.chatId,
    callId: params.callId,
    memberIds: members,
  });
}

export const isOver = (status: CallStatus) =>
  !(LIVE_CALL_STATUSES as readonly string[]).includes(status);

/** Starts a call in a chat and rings its other members. */
export async function startCall(
  tx: Tx,
  params: { userId: string; chatId: string; kind: CallKind },
): Promise<Call> {
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`select public.start_call(${params.chatId}::uuid, ${params.kind}, ${env.calls.maxParticipants}) as id`,
  ).catch((error: unknown) => {
    if (sqlState(error) === "23505") {
      throw new AppError("CONFLICT", "A call is already going on in this chat: join it instead");
    }
    throw error;
  });
  const callId = row!.id;
  await announceCallChange(tx, { chatId: params.chatId, callId, line: true });
  return getCall(tx, { userId: params.userId, callId });
}

/** Runs one of the call functions that may end the call, and tells whoever needs to know. */
async function changeCall(
  tx: Tx,
  params: { userId: string; callId: string },
  change: "join_call" | "decline_call" | "leave_call",
): Promise<CallStatus> {
  const [row] = await queryRows<{ status: CallStatus; chatId: string }>(
    tx,
    sql`select public.${sql.raw(change)}(${params.callId}::uuid) as status,
          (select s."chatId" from public.call_sessions s where s.id = ${params.callId}::uuid) as "chatId"`,
  ).catch(
    refusedOverLimit(
      `This call is full: a call has at most ${env.calls.maxParticipants} people on this server`,
    ),
  );
  const { status, chatId } = row!;
  await announceCallChange(tx, { chatId, callId: params.callId, line: isOver(status) });
  return status;
}

/** Answers a ringing call, or joins a live one. */
export async function joinCall(tx: Tx, params: { userId: string; callId: string }): Promise<Call> {
  await changeCall(tx, params, "join_call");
  return getCall(tx, params);
}

export async function declineCall(
  tx: Tx,
  params: { userId: string; callId: string },
): Promise<{ status: CallStatus }> {
  return { status: await changeCall(tx, params, "decline_call") };
}

export async function leaveCall(
  tx: Tx,
  params: { userId: string; callId: string },
): Promise<{ status: CallStatus }> {
  return { status: await changeCall(tx, params, "leave_call") };
}

/** A participant's browser is still there; the others hear when its devices changed. */
export async function callHeartbeat(
  tx: Tx,
  params: {
    userId: string;
    callId: string;
    audioOn: boolean;
    videoOn: boolean;
    screenOn: boolean;
    connectionState: ConnectionState;
  },
): Promise<{ status: CallStatus }> {
  const [row] = await queryRows<{ changed: boolean; chatId: string; status: CallStatus }>(
    tx,
    sql`select public.call_heartbeat(${params.callId}::uuid, ${params.audioOn}, ${params.videoOn},
          ${params.screenOn}, ${params.connectionState}) as changed,
          s."chatId", s.status
        from public.call_sessions s where s.id = ${params.callId}::uuid`,
  );
  if (!row) throw new AppError("NOT_FOUND", "Call not found");
  if (row.changed) {
    await announceCallChange(tx, { chatId: row.chatId, callId: params.callId, line: false });
  }
  return { status: row.status };
}
