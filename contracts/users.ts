import { z } from "zod";
import { publicMetaSchema } from "./metas";
import { statusSchema } from "./statuses";

export const searchUsersInput = z
  .object({
    query: z.string().trim().min(1, "Type a name to search for").max(100),
    limit: z.number().int().min(1).max(50).default(20),
  })
  .strict();

export const userCardSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  image: z.string().nullable(),
  publicMetas: z.array(publicMetaSchema),
});
export type UserCard = z.infer<typeof userCardSchema>;

export const userIdInput = z.object({ userId: z.uuid() }).strict();

/** A person as their profile card shows them to whoever may see them. */
export const profileSchema = userCardSchema.extend({
  status: statusSchema.nullable(),
  /** Their time zone, while they share their local time. */
  timeZone: z.string().nullable(),
  /** When they were last online, while both they and the caller show theirs. */
  lastSeenAt: z.date().nullable(),
});
export type Profile = z.infer<typeof profileSchema>;
