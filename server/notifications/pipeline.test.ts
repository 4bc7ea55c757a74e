import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withRls } from "@/db/rls";
import { queryRows } from "@/db/rows";
import {
  chatMembers,
  digestItems,
  messages,
  notificationJobs,
  pushDeliveries,
  pushSubscriptions,
  user,
  userMetas,
} from "@/db/schema";
import { availableDrivers, useTestDatabase } from "@/test/database";
import { shareWorkspace } from "@/test/workspace";
import { mentionToken } from "@/lib/markdown/mentions";
import { drainNotificationJobs, type Outcome } from "./pipeline";

/**
 * The pipeline's decisions against the database, on PGlite and (with TEST_DATABASE_URL) on
 * server Postgres: who a new message reaches, through which channel, and who it must not.
 *
 * Cast, all in one group that `ann` made and writes to: `bob` takes everything; `cid` muted
 * the group; `dee` wants mentions only; `eve` reads along; `fay` is online; `gus` had his
 * pushes for the minute; `hal` turned e-mail and push off.
 */
const CAST = ["ann", "bob", "cid", "dee", "eve", "fay", "gus", "hal"] as const;
type Person = (typeof CAST)[number];

describe.each(availableDrivers())("notification pipeline on %s", (driver) => {
  const database = useTestDatabase(driver);
  const db = () => database.handle.db;
  const ids = {} as Record<Person, string>;
  const online = new Set<string>();
  let team = "";
  let group = "";
  const nameOf = (id: string) => CAST.find((p) => ids[p] === id);

  const send = (content: string, threadRootId?: string) =>
    withRls({ userId: ids.ann, organizationId: team }, async (tx) => {
      const [row] = await tx
        .insert(messages)
        .values({ chatId: group, senderId: ids.ann, seq: 0, content, threadRootId })
        .returning({ id: messages.id, seq: messages.seq });
      return row!;
    });
  const drain = (graceSeconds = 0, pushEnabled = true) =>
    drainNotificationJobs(db(), {
      isOnline: (userId) => online.has(userId),
      graceSeconds,
      pushesPerMinute: 3,
      pushEnabled,
    });
  /** Each member's outcome for one message: why not, or the channels. */
  const summary = (outcomes: Outcome[], messageId: string): Record<string, string> =>
    Object.fromEntries(
      outcomes
        .filter((o) => o.messageId === messageId)
        .map((o): [string, string] => [
          nameOf(o.userId) ?? o.userId,
          o.decision.notify
            ? `${o.channels?.digest ? "digest" : "no digest"}, push ${o.channels?.push}`
            : o.decision.reason,
        ]),
    );
  const setMeta = (who: Person, key: string, value: unknown, dataType = "boolean") =>
    db()
      .insert(userMetas)
      .values({
        userId: ids[who],
        metaKey: key,
        metaValue: value,
        dataType: dataType as "boolean",
      });
  let endpoint = 0;
  const addDevice = (who: Person) =>
    db()
      .insert(pushSubscriptions)
      .values({
        userId: ids[who],
        endpoint: `https://push.example.test/${who}/${++endpoint}`,
        p256dh: "B".repeat(87),
        auth: "A".repeat(22),
      })
      .returning({ id: pushSubscriptions.id });

  beforeAll(async () => {
    const people = await db()
      .insert(user)
      .values(CAST.map((p) => ({ name: p, email: `${p}@pipeline.example.test` })))
      .returning({ id: user.id, name: user.name });
    for (const p of people) ids[p.name as Person] = p.id;
    team = await shareWorkspace(Object.values(ids), "Team", db());
    group = await withRls({ userId: ids.ann, organizationId: team }, async (tx) => {
      const others = `{${CAST.filter((p) => p !== "ann")
        .map((p) => ids[p])
        .join(",")}}`;
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`select public.create_group_chat('Launch plan', '', ${others}::uuid[]) as id`,
      );
      return row!.id;
    });
    await db()
      .update(chatMembers)
      .set({ mutedUntil: new Date(Date.now() + 3_600_000) })
      .where(and(eq(chatMembers.chatId, group), eq(chatMembers.userId, ids.cid)));
    await db()
      .update(chatMembers)
      .set({ notificationLevel: "mentions" })
      .where(and(eq(chatMembers.chatId, group), eq(chatMembers.userId, ids.dee)));
    await setMeta("hal", "notifications.email", false);
    await setMeta("hal", "notifications.push", false);
    for (const p of ["bob", "cid", "dee", "eve", "fay", "gus", "hal"] as const) await addDevice(p);
    online.add(ids.fay);
    // Gus was pushed three times in the last minute already.
    const earlier = await send("earlier");
    const [gusDevice] = await db()
      .select({ id: pushSubscriptions.id })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, ids.gus));
    await db().execute(sql`delete from public.notification_jobs`);
    for (let i = 0; i < 3; i++) {
      const again = await send(`earlier ${i}`);
      await db().insert(pushDeliveries).values({
        subscriptionId: gusDevice!.id,
        userId: ids.gus,
        messageId: again.id,
        status: "sent",
      });
    }
    expect(earlier.id).toBeTruthy();
    await db().execute(sql`delete from public.notification_jobs`);
  });

  it("waits out the grace period: a new message is not decided about at once", async () => {
    const message = await send("not yet");
    expect(await drain(300)).toEqual([]);
    expect(await db().select().from(notificationJobs)).toHaveLength(1);
    await drain(0);
    expect(await db().select().from(notificationJobs)).toHaveLength(0);
    expect(message.id).toBeTruthy();
  });

  it("decides per member: muted, level, read already, online, throttled, channels off", async () => {
    const message = await send("Ship it Friday?");
    // Eve read the chat up to it before the grace period ended.
    await db()
      .update(chatMembers)
      .set({ lastReadSeq: message.seq })
      .where(and(eq(chatMembers.chatId, group), eq(chatMembers.userId, ids.eve)));
    const outcomes = await drain();
    expect(summary(outcomes, message.id)).toEqual({
      bob: "digest, push send",
      cid: "muted",
      dee: "level",
      eve: "read",
      fay: "digest, push online",
      gus: "digest, push throttled",
      hal: "no digest, push off",
    });
    const digests = await db()
      .select({ userId: digestItems.userId })
      .from(digestItems)
      .where(eq(digestItems.messageId, message.id));
    expect(digests.map((d) => nameOf(d.userId)).sort()).toEqual(["bob", "fay", "gus"]);
    const pushes = await db()
      .select({ userId: pushDeliveries.userId })
      .from(pushDeliveries)
      .where(eq(pushDeliveries.messageId, message.id));
    expect(pushes.map((p) => nameOf(p.userId))).toEqual(["bob"]);
  });

  it("queues no push at all on a server that cannot send them", async () => {
    const message = await send("no keys here");
    const outcomes = await drain(0, false);
    expect(summary(outcomes, message.id).bob).toBe("digest, push off");
    expect(
      await db().select().from(pushDeliveries).where(eq(pushDeliveries.messageId, message.id)),
    ).toEqual([]);
  });

  it("lets a mention through a mentions-only level, and @here only to those online", async () => {
    const named = await send(`${mentionToken(ids.dee)} can you check?`);
    const here = await send(`${mentionToken("here")} standup`);
    await db()
      .update(chatMembers)
      .set({ notificationLevel: "mentions" })
      .where(and(eq(chatMembers.chatId, group), eq(chatMembers.userId, ids.fay)));
    const outcomes = await drain();
    expect(summary(outcomes, named.id).dee).toBe("digest, push send");
    expect(summary(outcomes, here.id)).toMatchObject({ dee: "level", fay: "digest, push online" });
  });

  it("reaches only followers and those mentioned with a reply in a thread", async () => {
    const root = await send("Thread root");
    await drain();
    const reply = await send(`${mentionToken(ids.bob)} in the thread`, root.id);
    const outcomes = await drain();
    // Ann follows her own thread; Bob is mentioned; nobody else follows it.
    expect(Object.keys(summary(outcomes, reply.id))).toEqual(["bob"]);
  });

  it("decides nothing twice, and a deleted message reaches nobody", async () => {
    const message = await send("regretted");
    await withRls({ userId: ids.ann, organizationId: team }, (tx) =>
      tx.update(messages).set({ deletedAt: new Date() }).where(eq(messages.id, message.id)),
    );
    const outcomes = await drain();
    expect(new Set(Object.values(summary(outcomes, message.id)))).toEqual(new Set(["deleted"]));
    expect(await drain()).toEqual([]);
  });
});
