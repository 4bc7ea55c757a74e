import { z } from "zod";
import { MESSAGE_TYPES } from "@/contracts/enums";
import { pagingDirectionSchema } from "./chats";
import { userRefSchema } from "./messages";

/** How many messages a chat can have pinned (drizzle/0026_pins_saved.sql holds to it too). */
export const MAX_PINNED_PER_CHAT = 100;
/** How many messages one person can keep saved (the database holds to it too). */
export const MAX_SAVED_MESSAGES = 5_000;

/** A message as a pin or a saved message shows it: one line of it, who wrote it, and when. */
export const markedMessageSchema = z.object({
  messageId: z.uuid(),
  chatId: z.uuid(),
  seq: z.number().int(),
  type: z.enum(MESSAGE_TYPES),
  sender: userRefSchema.nullable(),
  preview: z.string(),
  createdAt: z.date(),
});

export const pinSchema = markedMessageSchema.extend({
  pinnedBy: userRefSchema.nullable(),
  pinnedAt: z.date(),
  /** Whether the caller may unpin it: whoever pinned it, a group's owner and admins. */
  canUnpin: z.boolean(),
});
export type Pin = z.infer<typeof pinSchema>;

export const savedMessageSchema = markedMessageSchema.extend({
  chatTitle: z.string(),
  savedAt: z.date(),
});
export type SavedMessage = z.infer<typeof savedMessageSchema>;

export const listPinsInput = z.object({ chatId: z.uuid() }).strict();

export const listSavedInput = z
  .object({
    cursor: z.string().max(200).optional(),
    direction: pagingDirectionSchema,
    limit: z.number().int().min(1).max(50).default(20),
  })
  .strict();
export type ListSavedInput = z.infer<typeof listSavedInput>;

export const savedPageSchema = z.object({
  items: z.array(savedMessageSchema),
  nextCursor: z.string().nullable(),
});

/** The message's mark after a pin, an unpin, a save or an unsave. */
export const pinResultSchema = z.object({ messageId: z.uuid(), pinned: z.boolean() });
export const savedResultSchema = z.object({ messageId: z.uuid(), saved: z.boolean() });
