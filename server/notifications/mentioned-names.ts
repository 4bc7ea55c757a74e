import "server-only";

import { sql, type SQL } from "drizzle-orm";

/**
 * The names of the people the text of message `alias` mentions who are members of its chat,
 * as JSON `[{id, name}]`. Pushes and digests are written on the owner connection, which sees
 * every user: naming only the chat's members (whom any member may see) keeps a token for
 * someone else from showing their name. Others read "@someone", as they would in the app.
 */
export function mentionedMemberNames(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`case when strpos(${a}.content, '<@') > 0 then (
    select json_agg(json_build_object('id', u.id, 'name', u.name))
    from public.chat_members cmm join public."user" u on u.id = cmm."userId"
    where cmm."chatId" = ${a}."chatId"
      and u.id = any(array(select t::uuid from public.mention_targets(${a}.content) t
                           where t not in ('here', 'channel')))) end`;
}
