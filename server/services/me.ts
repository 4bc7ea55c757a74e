import "server-only";

import { eq, sql } from "drizzle-orm";
import { afterCommit } from "@/db/after-commit";
import type { Tx } from "@/db/types";
import { user } from "@/db/schema";
import type { Profile, UpdateProfileInput } from "@/contracts/me";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { getStorage } from "@/server/storage";
import { avatarObjectPath, parseAvatarUrl, type AvatarRef } from "@/contracts/avatar-paths";

export async function getProfile(tx: Tx, params: { userId: string }): Promise<Profile> {
  const [row] = await tx
    .select({
      id: user.id,
      name: user.name,
      // `user.email` is not granted to request roles; this function returns the caller's own.
      email: sql<string>`public.user_email(${user.id})`,
      image: user.image,
      role: user.role,
      createdAt: user.createdAt,
    })
    .from(user)
    .where(eq(user.id, params.userId));
  if (!row) throw new AppError("NOT_FOUND", "User not found");
  return row;
}

/**
 * Changes the caller's name and/or picture. An uploaded avatar may only be the caller's own;
 * the avatar it replaces is removed from storage once the change commits.
 */
export async function updateProfile(
  tx: Tx,
  params: { userId: string } & UpdateProfileInput,
): Promise<Profile> {
  let previous: AvatarRef | null = null;
  if (params.image !== undefined) {
    const next = parseAvatarUrl(params.image);
    if (next && next.userId !== params.userId) {
      throw new AppError("BAD_REQUEST", "That avatar belongs to someone else", {
        issues: [{ path: ["image"], message: "That avatar belongs to someone else" }],
      });
    }
    const [current] = await tx
      .select({ image: user.image })
      .from(user)
      .where(eq(user.id, params.userId));
    const old = parseAvatarUrl(current?.image);
    if (old && old.userId === params.userId && old.hash !== next?.hash) previous = old;
  }
  const updated = await tx
    .update(user)
    .set({ name: params.name, image: params.image })
    .where(eq(user.id, params.userId))
    .returning({ id: user.id });
  if (updated.length === 0) throw new AppError("NOT_FOUND", "User not found");
  if (previous) {
    const stale = avatarObjectPath(previous);
    afterCommit(tx, () => {
      getStorage()
        .remove([stale])
        .catch((error: unknown) => logger.warn({ err: error, stale }, "old avatar not removed"));
    });
  }
  return getProfile(tx, params);
}
