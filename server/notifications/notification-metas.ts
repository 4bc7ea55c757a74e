import "server-only";

import { sql, type SQL } from "drizzle-orm";

/**
 * The notification preferences of the user whose id is `userIdColumn`, as JSON
 * `[{key, value}]` for `preferencesFromMetas`: every `notifications.*` meta (level, e-mail,
 * push, previews, quiet hours). The pipeline, the push sender and the digests read them so.
 */
export function notificationMetas(userIdColumn: string): SQL {
  return sql`(select json_agg(json_build_object('key', um."metaKey", 'value', um."metaValue"))
    from public.user_metas um
    where um."userId" = ${sql.raw(userIdColumn)} and um."metaKey" like 'notifications.%')`;
}
