import "server-only";

import { sql } from "drizzle-orm";
import { openAfterCommit } from "@/db/after-commit";
import { queryRows } from "@/db/rows";
import type { Database } from "@/db/types";
import type { CallStatus } from "@/contracts/calls";
import { announceCallChange, isOver } from "@/server/services/calls";

/**
 * Ends what browsers left behind: rings nobody answered within `ringSeconds` become missed,
 * participants whose browser went silent for `heartbeatTimeoutSeconds` leave, and each call
 * touched settles (drizzle/0042_calls.sql, expire_calls). On the owner connection; once it
 * commits, the chats' members hear of each call changed, as they do of a change they made.
 */
export async function expireCalls(
  db: Database,
  config: { ringSeconds: number; heartbeatTimeoutSeconds: number },
): Promise<number> {
  let announce = () => {};
  const changed = await db.transaction(async (tx) => {
    announce = openAfterCommit(tx);
    const calls = await queryRows<{ callId: string; chatId: string; status: CallStatus }>(
      tx,
      sql`select * from public.expire_calls(${config.ringSeconds}, ${config.heartbeatTimeoutSeconds})`,
    );
    for (const call of calls) {
      await announceCallChange(tx, {
        chatId: call.chatId,
        callId: call.callId,
        line: isOver(call.status),
      });
    }
    return calls.length;
  });
  announce();
  return changed;
}
