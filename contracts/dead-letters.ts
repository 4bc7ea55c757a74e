import { z } from "zod";
import { DEAD_LETTER_QUEUES } from "./enums";

/** How many set-aside items the admin overview lists at most. */
export const DEAD_LETTERS_SHOWN = 20;

export const listDeadLettersInput = z
  .object({ limit: z.number().int().min(1).max(100).default(DEAD_LETTERS_SHOWN) })
  .strict();

export const deadLetterSchema = z.object({
  id: z.number().int(),
  queue: z.enum(DEAD_LETTER_QUEUES),
  /** What the work was, in one line: an audited request, or the file to delete. */
  summary: z.string(),
  error: z.string(),
  attempts: z.number().int().min(1),
  createdAt: z.date(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

export const deadLettersSchema = z.object({
  items: z.array(deadLetterSchema),
  total: z.number().int().min(0),
});
