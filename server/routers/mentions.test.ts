import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { member } from "@/db/schema";
import { mentionToken } from "@/lib/markdown/mentions";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

useTestDatabase();

describe("mentions", () => {
  let ann: TestUser;
  let bob: TestUser;
  let cid: TestUser;
  let groupId: string;

  beforeAll(async () => {
    ann = await signUp("Ann");
    bob = await signUp("Bob");
    cid = await signUp("Cid");
    groupId = (
      await (
        await callerFor(ann)
      ).chats.createGroup({
        name: "Launch plan",
        memberIds: [bob.id, cid.id],
      })
    ).id;
  });

  it("names the people a message mentions, in the message, its quotes and the chat list", async () => {
    const asAnn = await callerFor(ann);
    const sent = await asAnn.messages.send({
      chatId: groupId,
      content: `Can ${mentionToken(bob.id)} look? cc ${mentionToken("channel")}`,
    });
    expect(sent.mentions).toEqual([{ id: bob.id, name: "Bob" }]);
    const asBob = await callerFor(bob);
    const reply = await asBob.messages.send({
      chatId: groupId,
      content: "On it",
      replyToId: sent.id,
    });
    expect(reply.replyTo?.preview).toBe("Can @Bob look? cc @channel");
    const list = await (await callerFor(cid)).chats.list({});
    expect(list.items.find((c) => c.id === groupId)?.lastMessage?.preview).toBe("On it");
    await asBob.messages.send({ chatId: groupId, content: `thanks ${mentionToken(cid.id)}` });
    const cidList = await (await callerFor(cid)).chats.list({});
    expect(cidList.items.find((c) => c.id === groupId)?.lastMessage?.preview).toBe("thanks @Cid");
  });

  it("counts unread mentions apart in the chat list, and lists them in the Mentions view", async () => {
    const asCid = await callerFor(cid);
    const before = (await asCid.chats.list({})).items.find((c) => c.id === groupId)!;
    // @channel from Ann and the thanks from Bob.
    expect(before.unreadMentions).toBe(2);
    const mentions = await asCid.mentions.list({});
    expect(mentions.items.map((m) => [m.preview, m.kind, m.chatTitle, m.unread])).toEqual([
      ["thanks @Cid", "user", "Launch plan", true],
      ["Can @Bob look? cc @channel", "channel", "Launch plan", true],
    ]);
    await asCid.chats.markRead({ chatId: groupId, seq: before.lastSeq });
    expect((await asCid.chats.list({})).items.find((c) => c.id === groupId)?.unreadMentions).toBe(
      0,
    );
    expect((await asCid.mentions.list({})).items.every((m) => !m.unread)).toBe(true);
    // Nobody else's mentions are listed to Ann, who mentioned but was not mentioned.
    expect((await (await callerFor(ann)).mentions.list({})).items).toEqual([]);
  });

  it("pages the Mentions view", async () => {
    const asAnn = await callerFor(ann);
    for (let i = 0; i < 3; i++) {
      await asAnn.messages.send({ chatId: groupId, content: `${mentionToken(bob.id)} #${i}` });
    }
    const asBob = await callerFor(bob);
    // As the Mentions view's infinite query asks (it adds a direction).
    const first = await asBob.mentions.list({ limit: 2, direction: "forward" });
    expect(first.items.map((m) => m.preview)).toEqual(["@Bob #2", "@Bob #1"]);
    const second = await asBob.mentions.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((m) => m.preview)).toEqual(["@Bob #0", "Can @Bob look? cc @channel"]);
    expect(second.nextCursor).toBeNull();
  });

  it("names mentions in search snippets", async () => {
    await (
      await callerFor(ann)
    ).messages.send({
      chatId: groupId,
      content: `budget review with ${mentionToken(cid.id)} tomorrow at ten`,
    });
    const found = await (await callerFor(bob)).messages.search({ query: "budget" });
    expect(found.hits[0]?.snippet.map((part) => part.text).join("")).toContain("@Cid");
    expect(JSON.stringify(found.hits[0]?.snippet)).not.toContain(cid.id);
  });

  it("refuses to notify everyone without chat.mention_all, with a clear FORBIDDEN", async () => {
    const gus = await signUp("Gus");
    await getDb().update(member).set({ role: "guest" }).where(eq(member.userId, gus.id));
    await (await callerFor(ann)).chats.addMembers({ chatId: groupId, userIds: [gus.id] });
    const asGus = await callerFor(gus);
    for (const everyone of ["channel", "here"]) {
      expect(
        await codeOf(
          asGus.messages.send({ chatId: groupId, content: `${mentionToken(everyone)} hi` }),
        ),
      ).toBe("FORBIDDEN");
    }
    const named = await asGus.messages.send({
      chatId: groupId,
      content: `${mentionToken(ann.id)} hi`,
    });
    expect(named.mentions).toEqual([{ id: ann.id, name: "Ann" }]);
  });
});
