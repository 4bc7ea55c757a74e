import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Database } from "@/db/types";
import type { ChatType } from "@/contracts/enums";
import { preferencesFromMetas } from "@/contracts/preferences";
import { markdownToPlainText } from "@/lib/markdown/plain-text";
import { inQuietHours } from "@/lib/notifications/quiet-hours";
import { digestMail, DIGEST_LINES_PER_CHAT, type DigestChat } from "@/server/mail/digest-mail";
import type { MailMessage } from "@/server/mail/message";
import { mentionNames, mentionsAsNames } from "@/lib/markdown/mentions";
import { mentionedMemberNames } from "./mentioned-names";
import { quietHoursOf } from "./pipeline";
import { unsubscribeToken } from "./unsubscribe-token";
import { notificationMetas } from "./notification-metas";

/** People looked at in one pass; the rest wait for the next. */
const BATCH = 50;
const LINE_LENGTH = 140;

export interface DigestDeps {
  isOnline: (userId: string) => boolean;
  delaySeconds: number;
  intervalSeconds: number;
  appUrl: string;
  send: (mail: MailMessage) => Promise<void>;
}

interface DueUser {
  userId: string;
  email: string;
  name: string;
  metas: { key: string; value: unknown }[] | null;
}

interface UnreadItem {
  chatId: string;
  chatType: ChatType;
  chatName: string | null;
  senderName: string | null;
  content: string;
  mentionNames: { id: string; name: string }[] | null;
  mentioned: boolean;
}

/**
 * Sends the digests that are due: to each person whose oldest held message has waited
 * `delaySeconds` and who had no digest in the last `intervalSeconds`, while they are away and
 * out of their quiet hours. What they read meanwhile is left out; with nothing left, no mail.
 * A person's digest is claimed by moving their send time first (under a row lock), so two
 * instances never both send it; a failed send gives the claim back and is tried again.
 * Returns who got one.
 */
export async function sendDueDigests(db: Database, deps: DigestDeps): Promise<string[]> {
  const due = await queryRows<DueUser>(
    db,
    sql`select i."userId", u.email, u.name,
          ${notificationMetas(`i."userId"`)} as metas
        from public.digest_items i
        join public."user" u on u.id = i."userId"
        left join public.digest_state s on s."userId" = i."userId"
        -- Mail with what people wrote goes only to an address its owner proved is theirs.
        where u."emailVerified"
        group by i."userId", u.email, u.name, s."lastSentAt"
        having min(i."createdAt") <= now() - make_interval(secs => ${deps.delaySeconds})
          and (s."lastSentAt" is null
               or s."lastSentAt" <= now() - make_interval(secs => ${deps.intervalSeconds}))
        order by min(i."createdAt")
        limit ${BATCH}`,
  );
  const sent: string[] = [];
  const now = new Date();
  for (const person of due) {
    const preferences = preferencesFromMetas(person.metas ?? []).preferences;
    if (!preferences.emailNotifications) {
      // Turned off since the messages were held: they are dropped, never mailed.
      await db.execute(
        sql`delete from public.digest_items where "userId" = ${person.userId}::uuid`,
      );
      continue;
    }
    if (deps.isOnline(person.userId)) continue;
    const quiet = quietHoursOf(preferences);
    if (quiet && inQuietHours(quiet, now)) continue;
    if (await sendOne(db, deps, person, preferences.messagePreviews)) sent.push(person.userId);
  }
  return sent;
}

async function sendOne(
  db: Database,
  deps: DigestDeps,
  person: DueUser,
  previews: boolean,
): Promise<boolean> {
  // The claim: this digest's send time, set at once, keeps every other instance off it.
  const previous = await db.transaction(async (tx) => {
    await tx.execute(
      sql`insert into public.digest_state ("userId", "lastSentAt")
          values (${person.userId}::uuid, '-infinity') on conflict do nothing`,
    );
    const [state] = await queryRows<{ lastSentAt: string; recent: boolean }>(
      tx,
      sql`select "lastSentAt"::text as "lastSentAt",
            "lastSentAt" > now() - make_interval(secs => ${deps.intervalSeconds}) as recent
          from public.digest_state where "userId" = ${person.userId}::uuid
          for update skip locked`,
    );
    if (!state || state.recent) return null;
    await tx.execute(
      sql`update public.digest_state set "lastSentAt" = now() where "userId" = ${person.userId}::uuid`,
    );
    return state.lastSentAt;
  });
  if (previous === null) return false;
  const held = await queryRows<{ messageId: string }>(
    db,
    sql`select "messageId" from public.digest_items where "userId" = ${person.userId}::uuid`,
  );
  const items = await unreadItems(db, person.userId, held);
  try {
    if (items.length > 0) {
      await deps.send(
        digestMail({
          to: person.email,
          name: person.name,
          appUrl: deps.appUrl,
          unsubscribeUrl: `${deps.appUrl}/api/notifications/unsubscribe?token=${unsubscribeToken(person.userId)}`,
          chats: digestChats(items, previews),
        }),
      );
    }
  } catch (error) {
    // Not sent: the claim is given back, and the held messages wait for the next try.
    await db.execute(
      sql`update public.digest_state set "lastSentAt" = ${previous}::timestamptz
          where "userId" = ${person.userId}::uuid`,
    );
    throw error;
  }
  // Only what this digest looked at goes: what came in meanwhile waits for the next one. A
  // crash before this line mails the same messages again, at worst: never none.
  await db.execute(
    sql`delete from public.digest_items
        where "userId" = ${person.userId}::uuid
          and "messageId" = any(${`{${held.map((h) => h.messageId).join(",")}}`}::uuid[])`,
  );
  if (items.length === 0) {
    await db.execute(
      sql`update public.digest_state set "lastSentAt" = ${previous}::timestamptz
          where "userId" = ${person.userId}::uuid`,
    );
  }
  return items.length > 0;
}

/** Of the held messages, those still unread and still there, oldest first. */
function unreadItems(
  db: Database,
  userId: string,
  held: readonly { messageId: string }[],
): Promise<UnreadItem[]> {
  return queryRows<UnreadItem>(
    db,
    sql`select m."chatId", c.type as "chatType", c.name as "chatName", sender.name as "senderName",
          m.content, ${mentionedMemberNames("m")} as "mentionNames",
          exists (select 1 from public.message_mentions mm
                  where mm."messageId" = m.id and mm."userId" = cm."userId") as mentioned
        from public.messages m
        join public.chats c on c.id = m."chatId"
        join public.chat_members cm on cm."chatId" = m."chatId" and cm."userId" = ${userId}::uuid
        left join public.thread_members tm
          on tm."rootId" = m."threadRootId" and tm."userId" = cm."userId"
        left join public."user" sender on sender.id = m."senderId"
        where m.id = any(${`{${held.map((h) => h.messageId).join(",")}}`}::uuid[])
          and m."deletedAt" is null and c."deletedAt" is null
          and case when m."threadRootId" is null
                   then m.seq > least(cm."unreadFromSeq" - 1, cm."lastReadSeq")
                   else m.seq > coalesce(tm."lastReadSeq", 0) end
        order by m."createdAt", m.id`,
  );
}

/** The held messages grouped by chat, in the order each chat first had one. */
export function digestChats(items: readonly UnreadItem[], previews: boolean): DigestChat[] {
  const chats = new Map<string, DigestChat>();
  for (const item of items) {
    const sender = item.senderName ?? "Someone";
    let chat = chats.get(item.chatId);
    if (!chat) {
      chat = {
        chatId: item.chatId,
        title: item.chatType === "group" ? (item.chatName ?? "A group") : sender,
        senders: [],
        count: 0,
        mentioned: false,
        lines: [],
      };
      chats.set(item.chatId, chat);
    }
    chat.count += 1;
    chat.mentioned ||= item.mentioned;
    if (!chat.senders.includes(sender)) chat.senders.push(sender);
    if (previews && chat.lines.length < DIGEST_LINES_PER_CHAT) {
      const text =
        markdownToPlainText(mentionsAsNames(item.content, mentionNames(item.mentionNames ?? []))) ||
        "(an attachment)";
      chat.lines.push({
        sender,
        text: text.length > LINE_LENGTH ? `${text.slice(0, LINE_LENGTH - 1)}…` : text,
      });
    }
  }
  return [...chats.values()];
}
