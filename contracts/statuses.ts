import { z } from "zod";
import { emojiSchema } from "./emoji";

/** How long a status may say what it says, in words; the database holds to it too. */
export const STATUS_TEXT_MAX = 100;

export const statusSchema = z.object({
  emoji: z.string().nullable(),
  text: z.string(),
  /** Cleared at this time; null until cleared by hand. */
  expiresAt: z.date().nullable(),
});
export type UserStatus = z.infer<typeof statusSchema>;

export const setStatusInput = z
  .object({
    emoji: emojiSchema.nullable(),
    text: z
      .string()
      .trim()
      .max(STATUS_TEXT_MAX, `A status is at most ${STATUS_TEXT_MAX} characters`)
      // eslint-disable-next-line no-control-regex -- control characters are what it refuses
      .refine((v) => !/[\u0001-\u001f\u007f]/.test(v), "A status is one line of text"),
    expiresAt: z.coerce
      .date()
      .nullable()
      .refine((v) => v === null || v.getTime() > Date.now(), "Pick a time in the future"),
  })
  .strict()
  .refine((v) => v.emoji !== null || v.text.length > 0, {
    message: "Pick an emoji or write a few words",
    path: ["text"],
  });
export type SetStatusInput = z.infer<typeof setStatusInput>;
