import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import type { Profile, UserCard } from "@/contracts/users";
import { AppError } from "@/server/errors";
import { containsPattern } from "./like-pattern";

/** The public metas of the user aliased `u`, as a JSON array, keys in order. */
const publicMetasOfU = sql`coalesce((
  select jsonb_agg(jsonb_build_object('key', m."metaKey", 'value', m."metaValue", 'dataType', m."dataType") order by m."metaKey")
  from public.user_metas m where m."userId" = u.id and m."isPublic"
), '[]'::jsonb)`;

/**
 * People to start a chat with, by name or by a custom field they marked searchable: id, name,
 * image and public metas only — never an email, never which field matched or its value — and
 * never banned users or the caller. Name matches come first. A field match is asked of
 * `people_matching_fields` (drizzle/0043_searchable_fields.sql), which sees fields the caller
 * may not read and answers only ids of people in the caller's workspace.
 */
export async function searchUsers(
  tx: Tx,
  params: { userId: string; query: string; limit: number },
): Promise<UserCard[]> {
  const nameMatches = sql`u.name ilike ${containsPattern(params.query)}`;
  const rows = await queryRows<UserCard>(
    tx,
    sql`
    select u.id, u.name, u.image,
      ${publicMetasOfU} as "publicMetas"
    from public."user" u
    where u.banned = false and u.id <> ${params.userId}::uuid
      and (${nameMatches}
        or u.id in (select public.people_matching_fields(${params.query}, ${params.limit})))
    order by (lower(u.name) = lower(${params.query})) desc, (${nameMatches}) desc,
      position(lower(${params.query}) in lower(u.name)), u.name, u.id
    limit ${params.limit}`,
  );
  return rows;
}

/**
 * A person's profile card: name, picture, public metas (not the reserved preference keys,
 * which are never public) and their status, as the caller may see them; NOT_FOUND for anyone
 * the caller may not see.
 */
export async function getProfile(
  tx: Tx,
  params: { userId: string; profileId: string },
): Promise<Profile> {
  const [row] = await queryRows<
    Omit<Profile, "status" | "lastSeenAt"> & {
      status: Profile["status"] | null;
      lastSeenAt: string | Date | null;
    }
  >(
    tx,
    sql`
    select u.id, u.name, u.image,
      ${publicMetasOfU} as "publicMetas",
      (select jsonb_build_object('emoji', s.emoji, 'text', s.text, 'expiresAt', s."expiresAt")
       from public.user_statuses s
       where s."userId" = u.id and (s."expiresAt" is null or s."expiresAt" > now())) as status,
      (select p."timeZone" from public.user_presence p where p."userId" = u.id) as "timeZone",
      (select l."lastSeenAt" from public.user_last_seen l where l."userId" = u.id) as "lastSeenAt"
    from public."user" u
    where u.id = ${params.profileId}::uuid`,
  );
  if (!row) throw new AppError("NOT_FOUND", "User not found");
  return {
    ...row,
    lastSeenAt: row.lastSeenAt === null ? null : new Date(row.lastSeenAt),
    status: row.status && {
      ...row.status,
      expiresAt: row.status.expiresAt === null ? null : new Date(row.status.expiresAt),
    },
  };
}
