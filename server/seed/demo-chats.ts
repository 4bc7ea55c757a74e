import "server-only";

import { eq, inArray, sql } from "drizzle-orm";
import {
  createDirectChat,
  createGroupChat,
  movePointer,
  setMemberRole,
} from "@/server/services/chat-write";
import { deleteMessage, editMessage, sendMessage, setReaction } from "@/server/services/messages";
import type { Database } from "@/db/client";
import { withRls } from "@/db/rls";
import { chats, member, messages, organization, user } from "@/db/schema";

const SMALL_TALK = [
  "Morning! Did you see the build went green?",
  "Finally. That flaky test was driving me mad.",
  "Coffee first, then the review queue.",
  "I left a few comments on the onboarding copy.",
  "Thanks, looking now.",
  "Can we move our sync to 3pm?",
  "Works for me.",
  "The staging database is back up.",
  "Nice, I'll rerun the migration check.",
  "Lunch?",
  "Give me ten minutes.",
  "Pushed the fix for the date picker.",
];

/**
 * A demo workspace of `memberIds` (the first its owner), made as Better Auth would, with each
 * member's sessions in it.
 */
async function demoWorkspace(
  db: Database,
  name: string,
  slug: string,
  memberIds: readonly string[],
): Promise<string> {
  const [created] = await db
    .insert(organization)
    .values({ name, slug })
    .returning({ id: organization.id });
  await db.insert(member).values(
    memberIds.map((userId, index) => ({
      organizationId: created!.id,
      userId,
      role: index === 0 ? "owner" : "member",
    })),
  );
  return created!.id;
}

/**
 * Demo conversations, in the demo workspace Acme where everyone is: a long direct chat between Alice and Bob (history to scroll, some of
 * it unread for Bob), the "Launch plan" group with replies, reactions, an edit and a
 * deletion, and a short direct chat between Alice and Carol; and in a second workspace, Side
 * studio, a group of Alice's and Carol's. Written through the same
 * services requests use, as the people who "said" them; only the long history is bulk-loaded.
 */
export async function seedDemoChats(db: Database): Promise<boolean> {
  const [existing] = await db.select({ n: sql<number>`count(*)::int` }).from(chats);
  if ((existing?.n ?? 0) > 0) return false;
  const people = await db
    .select({ id: user.id, email: user.email })
    .from(user)
    .where(
      inArray(user.email, [
        "admin@example.com",
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
      ]),
    );
  const idOf = (email: string) => {
    const found = people.find((p) => p.email === email);
    if (!found) throw new Error(`demo user ${email} is missing`);
    return found.id;
  };
  const alice = idOf("alice@example.com");
  const bob = idOf("bob@example.com");
  const carol = idOf("carol@example.com");
  const admin = idOf("admin@example.com");
  // The demo people are Acme's: the workspaces of their own, empty, make way for it.
  await db.delete(organization).where(
    inArray(
      organization.id,
      db
        .select({ id: member.organizationId })
        .from(member)
        .where(inArray(member.userId, [admin, alice, bob, carol])),
    ),
  );
  const acme = await demoWorkspace(db, "Acme", "acme", [admin, alice, bob, carol]);
  const studio = await demoWorkspace(db, "Side studio", "side-studio", [alice, carol]);
  const inAcme = (userId: string) => ({ userId, organizationId: acme });
  const say = (userId: string, chatId: string, content: string, replyToId?: string) =>
    withRls(inAcme(userId), (tx) => sendMessage(tx, { userId, chatId, content, replyToId }));

  // Alice and Bob: 240 messages of history, then today's conversation.
  const direct = await withRls(inAcme(alice), (tx) =>
    createDirectChat(tx, { userId: alice, otherUserId: bob }),
  );
  const history = Array.from({ length: 240 }, (_, i) => ({
    chatId: direct.id,
    senderId: i % 3 === 1 ? bob : alice,
    seq: 0,
    content: `${SMALL_TALK[i % SMALL_TALK.length]}${i >= SMALL_TALK.length ? ` (#${i + 1})` : ""}`,
  }));
  await db.insert(messages).values(history);
  await db
    .update(messages)
    .set({ createdAt: sql`now() - (241 - ${messages.seq}) * interval '37 minutes'` })
    .where(eq(messages.chatId, direct.id));
  await say(bob, direct.id, "Are we still on for the launch review tomorrow?");
  await say(alice, direct.id, "Yes, 10am. I'll send the deck tonight.");
  await withRls(inAcme(bob), (tx) =>
    movePointer(tx, { userId: bob, chatId: direct.id, seq: 242, pointer: "read" }),
  );
  await say(alice, direct.id, "Deck is in the shared folder.");
  await say(alice, direct.id, "Slide 7 still needs numbers from finance.");
  await say(alice, direct.id, "Ping me when you've had a look!");

  // The "Launch plan" group.
  const group = await withRls(inAcme(alice), (tx) =>
    createGroupChat(tx, {
      userId: alice,
      name: "Launch plan",
      description: "Everything for the v1 launch",
      memberIds: [bob, carol],
    }),
  );
  await withRls(inAcme(alice), (tx) =>
    setMemberRole(tx, { userId: alice, chatId: group.id, memberId: bob, role: "admin" }),
  );
  const kickoff = await say(
    alice,
    group.id,
    "Kick-off: launch is on the 14th. Owners per area below.",
  );
  const design = await say(
    carol,
    group.id,
    "Design: landing page and app store screenshots.",
    kickoff.id,
  );
  await say(bob, group.id, "Backend: load tests and the status page.", kickoff.id);
  const typo = await say(carol, group.id, "Screenshots will be redy by Friday.");
  await withRls(inAcme(carol), (tx) =>
    editMessage(tx, {
      userId: carol,
      messageId: typo.id,
      content: "Screenshots will be ready by Friday.",
    }),
  );
  const mistake = await say(bob, group.id, "(wrong window, ignore)");
  await withRls(inAcme(bob), (tx) => deleteMessage(tx, { userId: bob, messageId: mistake.id }));
  await say(alice, group.id, "Love the new palette, Carol!", design.id);
  for (const [who, emoji] of [
    [bob, "🎉"],
    [carol, "🎉"],
    [bob, "👍"],
  ] as const) {
    await withRls(inAcme(who), (tx) =>
      setReaction(tx, { userId: who, messageId: kickoff.id, emoji, present: true }),
    );
  }
  await say(bob, group.id, "Load test results: p95 under 120 ms at 2k rps.");

  // Alice and Carol.
  const second = await withRls(inAcme(alice), (tx) =>
    createDirectChat(tx, { userId: alice, otherUserId: carol }),
  );
  await say(carol, second.id, "Do you have a minute to look at the icons?");
  await say(alice, second.id, "Sure, send them over.");

  // A second workspace, where Alice and Carol have a project of their own.
  const inStudio = (userId: string) => ({ userId, organizationId: studio });
  const sketchbook = await withRls(inStudio(alice), (tx) =>
    createGroupChat(tx, {
      userId: alice,
      name: "Sketchbook",
      description: "Weekend illustration project",
      memberIds: [carol],
    }),
  );
  await withRls(inStudio(carol), (tx) =>
    sendMessage(tx, { userId: carol, chatId: sketchbook.id, content: "New sketches are up." }),
  );
  return true;
}
