import { z } from "zod";
import { MENTION_KINDS } from "@/contracts/enums";
import { markedMessageSchema } from "@/contracts/pins";
import { pagingDirectionSchema } from "@/contracts/audit";

/** A message that mentions the caller, as the Mentions view lists it. */
export const mentionSchema = markedMessageSchema.extend({
  chatTitle: z.string(),
  kind: z.enum(MENTION_KINDS),
  /** The thread it is a reply in, if it is one. */
  threadRootId: z.uuid().nullable(),
  /** The caller has not read it yet (in the chat, or in its thread). */
  unread: z.boolean(),
});
export type Mention = z.infer<typeof mentionSchema>;

export const listMentionsInput = z
  .object({
    cursor: z.string().max(200).optional(),
    direction: pagingDirectionSchema,
    limit: z.number().int().min(1).max(50).default(20),
  })
  .strict();
export type ListMentionsInput = z.infer<typeof listMentionsInput>;

export const mentionPageSchema = z.object({
  items: z.array(mentionSchema),
  nextCursor: z.string().nullable(),
});
