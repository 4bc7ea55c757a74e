import "server-only";

import { eq, sql } from "drizzle-orm";
import { userPresence } from "@/db/schema";
import type { Tx } from "@/db/types";
import {
  DEFAULT_PRESENCE_SETTINGS,
  type PresenceSettings,
  type UpdatePresenceSettingsInput,
} from "@/contracts/presence";

const columns = {
  timeZone: userPresence.timeZone,
  shareLocalTime: userPresence.shareLocalTime,
  showLastSeen: userPresence.showLastSeen,
};

/** The caller's presence choices, the defaults until they make any. */
export async function getPresenceSettings(
  tx: Tx,
  params: { userId: string },
): Promise<PresenceSettings> {
  const [row] = await tx
    .select(columns)
    .from(userPresence)
    .where(eq(userPresence.userId, params.userId));
  return row ?? DEFAULT_PRESENCE_SETTINGS;
}

/**
 * Changes the caller's presence choices; what is not given stays. The database keeps no time
 * zone while local time is not shared, and refuses one it does not know.
 */
export async function updatePresenceSettings(
  tx: Tx,
  params: { userId: string } & UpdatePresenceSettingsInput,
): Promise<PresenceSettings> {
  const { userId, ...change } = params;
  const [row] = await tx
    .insert(userPresence)
    .values({ ...DEFAULT_PRESENCE_SETTINGS, ...change, userId })
    .onConflictDoUpdate({
      target: userPresence.userId,
      set: {
        ...change,
        // Stamped by the database's trigger; named so the update has something to set.
        updatedAt: sql`now()`,
      },
    })
    .returning(columns);
  return row!;
}
