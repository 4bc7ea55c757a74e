import { desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { devMailbox, user } from "@/db/schema";
import { mentionToken } from "@/lib/markdown/mentions";
import { sendMail } from "@/server/mail";
import { useTestDatabase } from "@/test/database";
import { startHttpTestServer, type HttpTestServer } from "@/test/http-server";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { sendDueDigests } from "./digests";
import { drainNotificationJobs } from "./pipeline";

useTestDatabase();

/**
 * E-mail digests, read back from the dev mailbox: what one says, when one is due, what it
 * leaves out, and the one-click unsubscribe that works without signing in.
 */
describe("digest emails", () => {
  let http: HttpTestServer;
  let ann: TestUser;
  let bob: TestUser;
  let cid: TestUser;
  let groupId: string;
  const online = new Set<string>();
  const deps = () => ({
    isOnline: (userId: string) => online.has(userId),
    delaySeconds: 900,
    intervalSeconds: 3600,
    appUrl: "https://parley.example.test",
    send: sendMail,
  });
  const decide = () =>
    drainNotificationJobs(getDb(), {
      isOnline: (userId) => online.has(userId),
      graceSeconds: 0,
      pushesPerMinute: 10,
      pushEnabled: false,
    });
  /** As if the held messages had waited the delay. */
  const age = (seconds: number) =>
    getDb().execute(
      sql`update public.digest_items set "createdAt" = now() - make_interval(secs => ${seconds})`,
    );
  const lastMailTo = async (email: string) =>
    (
      await getDb()
        .select()
        .from(devMailbox)
        .where(eq(devMailbox.to, email))
        .orderBy(desc(devMailbox.createdAt))
        .limit(1)
    )[0];

  beforeAll(async () => {
    http = await startHttpTestServer();
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
    // Bob proved his address; Cid never did, and gets no mail with what people wrote.
    await getDb().update(user).set({ emailVerified: true }).where(eq(user.id, bob.id));
  });
  afterAll(() => http.close());

  it("waits the delay, then sums up the unread messages by chat with their first lines", async () => {
    const asAnn = await callerFor(ann);
    await asAnn.messages.send({ chatId: groupId, content: "**Ship** it Friday?" });
    await asAnn.messages.send({
      chatId: groupId,
      content: `${mentionToken(bob.id)} can you check?`,
    });
    const direct = (await asAnn.chats.createDirect({ userId: bob.id })).id;
    await asAnn.messages.send({ chatId: direct, content: "lunch?" });
    await decide();
    expect(await sendDueDigests(getDb(), deps())).toEqual([]);
    await age(901);
    expect(await sendDueDigests(getDb(), deps())).toEqual([bob.id]);
    expect((await lastMailTo(cid.email))?.subject).not.toMatch(/unread/);
    const mail = await lastMailTo(bob.email);
    expect(mail?.subject).toBe("3 unread messages in 2 chats on Parley");
    expect(mail?.text).toContain("Launch plan: 2 messages from Ann (you were mentioned)");
    expect(mail?.text).toContain("  Ann: Ship it Friday?");
    expect(mail?.text).toContain("  Ann: @Bob can you check?");
    expect(mail?.text).toContain(`Ann: 1 message from Ann`);
    expect(mail?.text).toContain(`https://parley.example.test/chat/${groupId}`);
    const headers = mail?.headers as Record<string, string>;
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(headers["List-Unsubscribe"]).toMatch(
      /^<https:\/\/parley\.example\.test\/api\/notifications\/unsubscribe\?token=[\w-]+\.[\w-]+>$/,
    );
    // Sent: nothing is held for Bob any more.
    expect(await sendDueDigests(getDb(), deps())).toEqual([]);
  });

  it("sends no more than one an interval, leaves out what was read, and waits while online", async () => {
    const asAnn = await callerFor(ann);
    const read = await asAnn.messages.send({ chatId: groupId, content: "already seen" });
    await decide();
    await age(901);
    expect(await sendDueDigests(getDb(), deps())).toEqual([]);
    // The interval is over: what Bob read meanwhile is not mailed, and with nothing left, no mail.
    await getDb().execute(
      sql`update public.digest_state set "lastSentAt" = now() - interval '2 hours'`,
    );
    await (await callerFor(bob)).chats.markRead({ chatId: groupId, seq: read.seq });
    const before = await lastMailTo(bob.email);
    expect(await sendDueDigests(getDb(), deps())).toEqual([]);
    expect((await lastMailTo(bob.email))?.id).toBe(before?.id);
    // Online, Bob gets none until he is away.
    await asAnn.messages.send({ chatId: groupId, content: "while you are here" });
    await decide();
    await age(901);
    online.add(bob.id);
    expect(await sendDueDigests(getDb(), deps())).toEqual([]);
    online.delete(bob.id);
    expect(await sendDueDigests(getDb(), deps())).toEqual([bob.id]);
  });

  it("leaves out the messages' words with previews off", async () => {
    await (await callerFor(bob)).preferences.update({ messagePreviews: false });
    await getDb().execute(
      sql`update public.digest_state set "lastSentAt" = now() - interval '2 hours'`,
    );
    await (await callerFor(ann)).messages.send({ chatId: groupId, content: "the secret plan" });
    await decide();
    await age(901);
    expect(await sendDueDigests(getDb(), deps())).toEqual([bob.id]);
    const mail = await lastMailTo(bob.email);
    expect(mail?.text).toContain("Launch plan: 1 message from Ann");
    expect(`${mail?.text}${mail?.html}`).not.toContain("secret");
  });

  it("unsubscribes in one click without signing in, and only with a token the server made", async () => {
    const mail = await lastMailTo(bob.email);
    const header = (mail?.headers as Record<string, string>)["List-Unsubscribe"] ?? "";
    const link = /<([^>]+)>/.exec(header)![1]!;
    const url = new URL(link);
    const local = `${http.url}${url.pathname}${url.search}`;
    // Opening the link changes nothing; it leads to the page that asks.
    const opened = await fetch(local, { redirect: "manual" });
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe(`/unsubscribe${url.search}`);
    expect((await (await callerFor(bob)).preferences.get()).emailNotifications).toBe(true);
    // A forged or altered token is refused.
    const forged = `${http.url}${url.pathname}?token=${bob.id}.${"A".repeat(43)}`;
    expect((await fetch(forged, { method: "POST" })).status).toBe(404);
    const another = `${http.url}${url.pathname}?token=${ann.id}.${url.searchParams.get("token")!.split(".")[1]}`;
    expect((await fetch(another, { method: "POST" })).status).toBe(404);
    expect((await (await callerFor(ann)).preferences.get()).emailNotifications).toBe(true);
    // The mail client's one-click POST (RFC 8058).
    const clicked = await fetch(local, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(clicked.status).toBe(200);
    expect((await (await callerFor(bob)).preferences.get()).emailNotifications).toBe(false);
    // Off: the next messages are not held for a digest at all.
    await (await callerFor(ann)).messages.send({ chatId: groupId, content: "after unsubscribing" });
    const outcomes = await decide();
    expect(outcomes.find((o) => o.userId === bob.id)?.channels?.digest).toBe(false);
  });
});
