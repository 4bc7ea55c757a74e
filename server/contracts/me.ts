import { z } from "zod";

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

export const profileImageSchema = z
  .url({ protocol: /^https?$/, message: "Image must be an http(s) URL" })
  .max(2048, "Image URL must be at most 2048 characters");

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
