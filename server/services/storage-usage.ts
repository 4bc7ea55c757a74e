import "server-only";

import { sql } from "drizzle-orm";
import type { StorageUsage } from "@/contracts/me";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";

const megabytes = (bytes: number) => `${Math.ceil(bytes / 1_000_000)} MB`;

/** The caller's uploads against `STORAGE_QUOTA_BYTES` and `UPLOAD_BYTES_PER_DAY`. */
export async function storageUsage(tx: Tx, _params: { userId: string }): Promise<StorageUsage> {
  const [row] = await queryRows<{
    usedBytes: string | number;
    uploadedTodayBytes: string | number;
  }>(tx, sql`select "usedBytes", "uploadedTodayBytes" from public.my_storage_usage()`);
  return {
    usedBytes: Number(row?.usedBytes ?? 0),
    quotaBytes: env.STORAGE_QUOTA_BYTES,
    uploadedTodayBytes: Number(row?.uploadedTodayBytes ?? 0),
    dailyBytes: env.UPLOAD_BYTES_PER_DAY,
  };
}

/**
 * Refuses an upload of `bytes` that would take the caller past their quota (413) or past what
 * they may upload in a day (429). Holds a per-user lock to the end of the transaction, so two
 * uploads at once cannot both fit in the room only one of them has.
 */
export async function ensureRoomFor(
  tx: Tx,
  params: { userId: string; bytes: number },
): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${params.userId}, 7))`);
  const usage = await storageUsage(tx, params);
  if (usage.usedBytes + params.bytes > usage.quotaBytes) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `Your files take ${megabytes(usage.usedBytes)} of your ${megabytes(usage.quotaBytes)}: there is no room for this one. Delete messages with files to make room.`,
    );
  }
  if (usage.uploadedTodayBytes + params.bytes > usage.dailyBytes) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `You have uploaded ${megabytes(usage.uploadedTodayBytes)} in the last 24 hours, of the ${megabytes(usage.dailyBytes)} a day allows; try again later`,
      { retryAfterSeconds: 3600 },
    );
  }
}
