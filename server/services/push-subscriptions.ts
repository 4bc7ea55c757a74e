import "server-only";

import { and, desc, eq, sql } from "drizzle-orm";
import { pushSubscriptions } from "@/db/schema";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import type { PushDevice, PushSubscribeInput } from "@/contracts/push";
import { env } from "@/server/env";
import { AppError, refusedOverLimit } from "@/server/errors";
import { pushEndpointProblem } from "@/server/notifications/push-endpoint";
import { vapidKeys } from "@/server/notifications/vapid";

/** Turns push on for one browser of the caller's; the browser's earlier row, any account's, goes. */
export async function subscribePush(
  tx: Tx,
  params: { userId: string; userAgent: string | null } & PushSubscribeInput,
): Promise<{ ok: true }> {
  if (!vapidKeys()) {
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "Push notifications are not set up on this server (it has no VAPID keys)",
    );
  }
  const problem = pushEndpointProblem(params.endpoint, env.notifications.pushServiceHosts);
  if (problem) {
    throw new AppError("BAD_REQUEST", problem, {
      issues: [{ path: ["endpoint"], message: problem }],
    });
  }
  await queryRows(
    tx,
    sql`select public.save_push_subscription(${params.endpoint}, ${params.keys.p256dh},
          ${params.keys.auth}, ${params.userAgent}, ${env.notifications.pushMaxDevices})`,
  ).catch(
    refusedOverLimit(
      `At most ${env.notifications.pushMaxDevices} devices can get push notifications; remove one first`,
    ),
  );
  return { ok: true };
}

/** Turns push off for the browser with this endpoint, if it is the caller's. */
export async function unsubscribePush(
  tx: Tx,
  params: { userId: string; endpoint: string },
): Promise<{ ok: true }> {
  await tx
    .delete(pushSubscriptions)
    .where(
      and(
        eq(pushSubscriptions.userId, params.userId),
        eq(pushSubscriptions.endpoint, params.endpoint),
      ),
    );
  return { ok: true };
}

/** Removes one of the caller's devices; NOT_FOUND for any other. */
export async function removePushDevice(
  tx: Tx,
  params: { userId: string; id: string },
): Promise<{ ok: true }> {
  const removed = await tx
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, params.userId), eq(pushSubscriptions.id, params.id)))
    .returning({ id: pushSubscriptions.id });
  if (removed.length === 0) throw new AppError("NOT_FOUND", "Device not found");
  return { ok: true };
}

/** The caller's devices with push on, the newest first. */
export async function listPushDevices(tx: Tx, params: { userId: string }): Promise<PushDevice[]> {
  return tx
    .select({
      id: pushSubscriptions.id,
      userAgent: pushSubscriptions.userAgent,
      endpoint: pushSubscriptions.endpoint,
      createdAt: pushSubscriptions.createdAt,
      lastSuccessAt: pushSubscriptions.lastSuccessAt,
    })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, params.userId))
    .orderBy(desc(pushSubscriptions.createdAt));
}
