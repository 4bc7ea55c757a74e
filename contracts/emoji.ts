import { z } from "zod";
import { canonicalEmoji, isEmoji } from "@/lib/emoji";

/** One emoji (a sequence counts as one), stored in its canonical form so look-alikes count once. */
export const emojiSchema = z
  .string()
  .min(1)
  .max(32, "An emoji is at most 32 characters")
  .refine(isEmoji, "Not an emoji")
  .overwrite(canonicalEmoji);
