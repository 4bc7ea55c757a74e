import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Database } from "@/db/types";
import type { CallStatus } from "@/contracts/calls";
import type { DomainEvent } from "@/server/realtime/events";

/**
 * Ends what browsers left behind: rings nobody answered within `ringSeconds` become missed,
 * participants whose browser went silent for `heartbeatTimeoutSeconds` leave, and each call
 * touched settles (drizzle/0042_calls.sql, expire_calls). On the owner connection; the
 * chats' members hear of each call changed, and the chats of the event lines written.
 */
export async function expireCalls(
  db: Database,
  config: { ringSeconds: number; heartbeatTimeoutSeconds: number },
  publish: (event: DomainEvent) => void,
): Promise<number> {
  const changed = await db.transaction(async (tx) => {
    const calls = await queryRows<{ callId: string; chatId: string; status: CallStatus }>(
      tx,
      sql`select * from public.expire_calls(${config.ringSeconds}, ${config.heartbeatTimeoutSeconds})`,
    );
    const events: DomainEvent[] = [];
    for (const call of calls) {
      const members = await queryRows<{ userId: string }>(
        tx,
        sql`select "userId" from public.chat_members where "chatId" = ${call.chatId}::uuid`,
      );
      const memberIds = members.map((m) => m.userId);
      if (call.status !== "ringing" && call.status !== "active") {
        const [line] = await queryRows<{ id: string; seq: number }>(
          tx,
          sql`select id, seq::float8 as seq from public.messages
              where "chatId" = ${call.chatId}::uuid and type = 'system'
                and metadata->>'callId' = ${call.callId}
              order by seq desc limit 1`,
        );
        if (line) {
          events.push({
            type: "message.created",
            chatId: call.chatId,
            messageId: line.id,
            seq: line.seq,
            senderId: null,
            memberIds,
          });
        }
      }
      events.push({ type: "call.changed", chatId: call.chatId, callId: call.callId, memberIds });
    }
    return events;
  });
  for (const event of changed) publish(event);
  return changed.filter((e) => e.type === "call.changed").length;
}
