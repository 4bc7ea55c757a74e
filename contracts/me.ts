import { z } from "zod";
import { parseAvatarUrl } from "@/contracts/avatar-paths";

export const profileSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  image: z.string().nullable(),
  role: z.string(),
  createdAt: z.date(),
});
export type Profile = z.infer<typeof profileSchema>;

export const profileNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters");

/** An external http(s) picture, or an avatar uploaded to Parley (served at a relative URL). */
export const profileImageSchema = z.union(
  [
    z
      .url({ protocol: /^https?$/, message: "Image must be an http(s) URL" })
      .max(2048, "Image URL must be at most 2048 characters"),
    z.string().refine((v) => parseAvatarUrl(v) !== null, "Not an uploaded avatar"),
  ],
  { error: "Image must be an http(s) URL or an uploaded avatar" },
);

export const updateProfileInput = z
  .object({
    name: profileNameSchema.optional(),
    image: profileImageSchema.nullable().optional(),
  })
  .strict()
  .refine((v) => v.name !== undefined || v.image !== undefined, {
    message: "Give a name or an image to change",
  });
export type UpdateProfileInput = z.infer<typeof updateProfileInput>;

/** How much room a user's uploads take, against their quota and daily allowance. */
export const storageUsageSchema = z.object({
  usedBytes: z.number().int().nonnegative(),
  quotaBytes: z.number().int().positive(),
  uploadedTodayBytes: z.number().int().nonnegative(),
  dailyBytes: z.number().int().positive(),
});
export type StorageUsage = z.infer<typeof storageUsageSchema>;
