import "server-only";

import { and, asc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/types";
import { user, userMetas } from "@/db/schema";
import {
  inferMetaDataType,
  type Meta,
  type PublicMeta,
  type SetMetaInput,
} from "@/contracts/metas";
import { PREFERENCE_KEYS, preferenceForKey, reservedKeyProblem } from "@/contracts/preferences";
import { AppError } from "@/server/errors";

const metaColumns = {
  id: userMetas.id,
  key: userMetas.metaKey,
  value: userMetas.metaValue,
  dataType: userMetas.dataType,
  isPublic: userMetas.isPublic,
  isSearchable: userMetas.isSearchable,
  createdAt: userMetas.createdAt,
  updatedAt: userMetas.updatedAt,
};

type MetaRow = Omit<Meta, "value"> & { value: unknown };
// jsonb comes back as parsed JSON; the check constraint guarantees it matches dataType.
const toMeta = (row: MetaRow): Meta => row as Meta;

/** The caller's own metas (RLS would also show public ones of others: filter to mine). */
export async function listMetas(tx: Tx, params: { userId: string }): Promise<Meta[]> {
  const rows = await tx
    .select(metaColumns)
    .from(userMetas)
    .where(eq(userMetas.userId, params.userId))
    .orderBy(asc(userMetas.metaKey));
  return rows.map(toMeta);
}

export async function getMeta(tx: Tx, params: { userId: string; key: string }): Promise<Meta> {
  const [row] = await tx
    .select(metaColumns)
    .from(userMetas)
    .where(and(eq(userMetas.userId, params.userId), eq(userMetas.metaKey, params.key)));
  if (!row) throw new AppError("NOT_FOUND", `No meta named "${params.key}"`);
  return toMeta(row);
}

/** Creates or replaces a meta; flags left out keep their stored value (or default to false). */
export async function setMeta(tx: Tx, params: { userId: string } & SetMetaInput): Promise<Meta> {
  const dataType = params.dataType ?? inferMetaDataType(params.value);
  if (!dataType) throw new AppError("BAD_REQUEST", "Value must not be null");
  // Preference keys hold what the app reads back (theme, read receipts…): only valid values.
  const problem = reservedKeyProblem(params.key, params.value);
  const preference = preferenceForKey(params.key);
  if (problem || (preference && PREFERENCE_KEYS[preference].dataType !== dataType)) {
    const message =
      problem ??
      `"${params.key}" is a preference stored as ${preference ? PREFERENCE_KEYS[preference].dataType : dataType}`;
    throw new AppError("BAD_REQUEST", message, {
      issues: [{ path: ["value"], message }],
    });
  }
  const [row] = await tx
    .insert(userMetas)
    .values({
      userId: params.userId,
      metaKey: params.key,
      metaValue: params.value,
      dataType,
      isPublic: params.isPublic ?? false,
      isSearchable: params.isSearchable ?? false,
    })
    .onConflictDoUpdate({
      target: [userMetas.userId, userMetas.metaKey],
      set: {
        metaValue: sql`excluded."metaValue"`,
        dataType: sql`excluded."dataType"`,
        ...(params.isPublic === undefined ? {} : { isPublic: params.isPublic }),
        ...(params.isSearchable === undefined ? {} : { isSearchable: params.isSearchable }),
      },
    })
    .returning(metaColumns);
  if (!row) throw new AppError("INTERNAL_SERVER_ERROR", "Meta was not written");
  return toMeta(row);
}

export async function deleteMeta(tx: Tx, params: { userId: string; key: string }): Promise<void> {
  const deleted = await tx
    .delete(userMetas)
    .where(and(eq(userMetas.userId, params.userId), eq(userMetas.metaKey, params.key)))
    .returning({ id: userMetas.id });
  if (deleted.length === 0) throw new AppError("NOT_FOUND", `No meta named "${params.key}"`);
}

/** Another user's public metas. A user the caller may not see is NOT_FOUND. */
export async function listPublicMetas(
  tx: Tx,
  params: { targetUserId: string },
): Promise<PublicMeta[]> {
  const [target] = await tx
    .select({ id: user.id })
    .from(user)
    .where(eq(user.id, params.targetUserId));
  if (!target) throw new AppError("NOT_FOUND", "User not found");
  const rows = await tx
    .select({ key: userMetas.metaKey, value: userMetas.metaValue, dataType: userMetas.dataType })
    .from(userMetas)
    .where(and(eq(userMetas.userId, params.targetUserId), eq(userMetas.isPublic, true)))
    .orderBy(asc(userMetas.metaKey));
  return rows as PublicMeta[];
}

/** One of the caller's meta values, or null when it is not set. */
export async function findMetaValue(
  tx: Tx,
  params: { userId: string; key: string },
): Promise<unknown> {
  const [row] = await tx
    .select({ value: userMetas.metaValue })
    .from(userMetas)
    .where(and(eq(userMetas.userId, params.userId), eq(userMetas.metaKey, params.key)));
  return row ? row.value : null;
}
