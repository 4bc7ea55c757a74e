import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/types";
import { user } from "@/db/schema";
import type { Profile, UpdateProfileInput } from "@/server/contracts/me";
import { AppError } from "@/server/errors";

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

export async function updateProfile(
  tx: Tx,
  params: { userId: string } & UpdateProfileInput,
): Promise<Profile> {
  const updated = await tx
    .update(user)
    .set({ name: params.name, image: params.image })
    .where(eq(user.id, params.userId))
    .returning({ id: user.id });
  if (updated.length === 0) throw new AppError("NOT_FOUND", "User not found");
  return getProfile(tx, params);
}
