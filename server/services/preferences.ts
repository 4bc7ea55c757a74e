import "server-only";

import { and, eq, inArray, sql } from "drizzle-orm";
import { userMetas } from "@/db/schema";
import type { Tx } from "@/db/types";
import {
  DEFAULT_PREFERENCES,
  PREFERENCE_KEYS,
  preferencesFromMetas,
  type PreferenceName,
  type Preferences,
  type UpdatePreferencesInput,
} from "@/contracts/preferences";

const STORED_KEYS = Object.values(PREFERENCE_KEYS).map((k) => k.key);

/**
 * The preferences the caller has stored (not the defaults). A stored value that no longer
 * fits its schema (written before a rule existed) counts as not stored.
 */
export async function getStoredPreferences(
  tx: Tx,
  params: { userId: string },
): Promise<Partial<Preferences>> {
  const rows = await tx
    .select({ key: userMetas.metaKey, value: userMetas.metaValue })
    .from(userMetas)
    .where(and(eq(userMetas.userId, params.userId), inArray(userMetas.metaKey, STORED_KEYS)));
  return preferencesFromMetas(rows).stored;
}

/** The caller's preferences, each from its meta or its default. */
export async function getPreferences(tx: Tx, params: { userId: string }): Promise<Preferences> {
  return { ...DEFAULT_PREFERENCES, ...(await getStoredPreferences(tx, params)) };
}

/** Writes the given preferences (already validated) in the caller's transaction. */
export async function updatePreferences(
  tx: Tx,
  params: { userId: string; changes: UpdatePreferencesInput },
): Promise<Preferences> {
  const entries = Object.entries(params.changes) as [PreferenceName, unknown][];
  const values = entries
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ({
      userId: params.userId,
      metaKey: PREFERENCE_KEYS[name].key,
      metaValue: value,
      dataType: PREFERENCE_KEYS[name].dataType,
    }));
  if (values.length > 0) {
    await tx
      .insert(userMetas)
      .values(values)
      .onConflictDoUpdate({
        target: [userMetas.userId, userMetas.metaKey],
        set: { metaValue: sql`excluded."metaValue"`, dataType: sql`excluded."dataType"` },
      });
  }
  return getPreferences(tx, params);
}
