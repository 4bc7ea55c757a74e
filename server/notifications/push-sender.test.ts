import { eq, sql } from "drizzle-orm";
import webpush from "web-push";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { deadLetters, pushDeliveries, pushSubscriptions } from "@/db/schema";
import { env } from "@/server/env";
import { useTestDatabase } from "@/test/database";
import { startPushServiceStandIn, type PushServiceStandIn } from "@/test/push-service";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { mentionToken } from "@/lib/markdown/mentions";
import { drainNotificationJobs } from "./pipeline";
import { drainPushDeliveries, PUSH_MAX_ATTEMPTS } from "./push-sender";

useTestDatabase();

/**
 * Web push end to end on the sending side: a message decided about by the pipeline, encrypted
 * for each device (RFC 8291) and posted to a push service on loopback that decrypts it as the
 * browser would. The subscriptions are made through `push.subscribe`, as the settings page does.
 */
describe("web push", () => {
  let service: PushServiceStandIn;
  let ann: TestUser;
  let bob: TestUser;
  let groupId: string;
  const vapid = { ...webpush.generateVAPIDKeys(), subject: "mailto:ops@example.test" };
  const decide = () =>
    drainNotificationJobs(getDb(), {
      isOnline: () => false,
      graceSeconds: 0,
      pushesPerMinute: 100,
      pushEnabled: true,
    });
  const send = () =>
    drainPushDeliveries(getDb(), { vapid, allowedHosts: env.notifications.pushServiceHosts });
  const subscribe = async (who: TestUser) => {
    const subscription = service.subscribe();
    await (await callerFor(who)).push.subscribe(subscription);
    return subscription;
  };

  beforeAll(async () => {
    service = await startPushServiceStandIn();
    ann = await signUp("Ann");
    bob = await signUp("Bob");
    groupId = (
      await (await callerFor(ann)).chats.createGroup({ name: "Launch plan", memberIds: [bob.id] })
    ).id;
  });
  afterAll(() => service.close());

  it("delivers an encrypted push the device decrypts: who, where, what, and where to open", async () => {
    const device = await subscribe(bob);
    const message = await (
      await callerFor(ann)
    ).messages.send({
      chatId: groupId,
      content: `**Ship** it, ${mentionToken(bob.id)}?`,
    });
    await decide();
    expect(await send()).toBe(1);
    const push = service.received.at(-1)!;
    expect(push.subscription).toBe(device.endpoint.split("/").at(-1));
    expect(push.payload).toEqual({
      title: "Ann in Launch plan",
      body: "Ship it, @Bob?",
      tag: `parley-chat:${groupId}`,
      url: `/chat/${groupId}?message=${message.seq}`,
    });
    // A mention is urgent; a newer push for the same chat replaces a waiting one.
    expect(push.headers).toMatchObject({ urgency: "high", topic: groupId.replaceAll("-", "") });
    const [row] = await getDb()
      .select()
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.endpoint, device.endpoint));
    expect(row?.lastSuccessAt).not.toBeNull();
    expect(await send()).toBe(0);
  });

  it("leaves out what the message says with previews off", async () => {
    await (await callerFor(bob)).preferences.update({ messagePreviews: false });
    await (await callerFor(ann)).messages.send({ chatId: groupId, content: "the secret plan" });
    await decide();
    await send();
    expect(service.received.at(-1)?.payload).toMatchObject({
      title: "Ann in Launch plan",
      body: "New message",
    });
    expect(JSON.stringify(service.received.at(-1)?.payload)).not.toContain("secret");
    await (await callerFor(bob)).preferences.update({ messagePreviews: true });
  });

  it("forgets a device its push service no longer knows (410), with its pushes", async () => {
    const gone = await subscribe(bob);
    service.answer(gone.endpoint, 410);
    await (await callerFor(ann)).messages.send({ chatId: groupId, content: "anyone?" });
    await decide();
    await send();
    expect(service.refused.at(-1)).toMatchObject({ status: 410 });
    expect(
      await getDb()
        .select()
        .from(pushSubscriptions)
        .where(eq(pushSubscriptions.endpoint, gone.endpoint)),
    ).toEqual([]);
  });

  it("tries a failing push service again later, and sets the push aside after the last try", async () => {
    await getDb().delete(pushSubscriptions).where(eq(pushSubscriptions.userId, bob.id));
    const failing = await subscribe(bob);
    service.answer(failing.endpoint, 503);
    await (await callerFor(ann)).messages.send({ chatId: groupId, content: "retry me" });
    await decide();
    await send();
    const [queued] = await getDb()
      .select()
      .from(pushDeliveries)
      .where(eq(pushDeliveries.status, "queued"));
    expect(queued).toMatchObject({ attempts: 1 });
    expect(queued!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Due again, as many times as it may be tried.
    for (let i = 1; i < PUSH_MAX_ATTEMPTS; i++) {
      await getDb().execute(
        sql`update public.push_deliveries set "nextAttemptAt" = now() where id = ${queued!.id}`,
      );
      await send();
    }
    const [settled] = await getDb()
      .select()
      .from(pushDeliveries)
      .where(eq(pushDeliveries.id, queued!.id));
    expect(settled).toMatchObject({ status: "failed", attempts: PUSH_MAX_ATTEMPTS });
    const letters = await getDb().select().from(deadLetters).where(eq(deadLetters.queue, "push"));
    expect(letters.at(-1)?.error).toContain("503");
  });

  it("never posts to an endpoint off the push services, however it was stored", async () => {
    await getDb().delete(pushSubscriptions).where(eq(pushSubscriptions.userId, bob.id));
    const device = service.subscribe();
    await getDb()
      .insert(pushSubscriptions)
      .values({ userId: bob.id, endpoint: device.endpoint, ...device.keys });
    await (await callerFor(ann)).messages.send({ chatId: groupId, content: "not for you" });
    await decide();
    const received = service.received.length;
    await drainPushDeliveries(getDb(), { vapid, allowedHosts: ["fcm.googleapis.com"] });
    expect(service.received.length).toBe(received);
    expect(service.refused.filter((r) => device.endpoint.endsWith(r.subscription))).toEqual([]);
    expect(
      await getDb().select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, bob.id)),
    ).toEqual([]);
  });

  it("refuses more devices than PUSH_MAX_DEVICES", async () => {
    const asBob = await callerFor(bob);
    for (let i = (await asBob.push.devices()).length; i < env.notifications.pushMaxDevices; i++) {
      await asBob.push.subscribe(service.subscribe());
    }
    const refused = await asBob.push.subscribe(service.subscribe()).catch((e: Error) => e);
    expect(refused).toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    expect((refused as Error).message).toContain(
      `At most ${env.notifications.pushMaxDevices} devices`,
    );
    // A device removed makes room for another.
    const [one] = await asBob.push.devices();
    await asBob.push.remove({ id: one!.id });
    await asBob.push.subscribe(service.subscribe());
    expect(await asBob.push.devices()).toHaveLength(env.notifications.pushMaxDevices);
    await getDb().delete(pushSubscriptions).where(eq(pushSubscriptions.userId, bob.id));
  });

  it("refuses endpoints off the push services and bad keys, and moves an endpoint to its last subscriber", async () => {
    const asBob = await callerFor(bob);
    const ok = service.subscribe();
    await expect(
      asBob.push.subscribe({ ...ok, endpoint: "https://evil.example.com/push/1" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      asBob.push.subscribe({ ...ok, keys: { ...ok.keys, p256dh: "short" } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // A browser's endpoint belongs to whoever subscribes with it last.
    await (await callerFor(ann)).push.subscribe(ok);
    await asBob.push.subscribe(ok);
    expect((await (await callerFor(ann)).push.devices()).map((d) => d.endpoint)).not.toContain(
      ok.endpoint,
    );
    expect((await asBob.push.devices()).map((d) => d.endpoint)).toContain(ok.endpoint);
    // Nobody else's devices are listed or removable.
    const [bobs] = await asBob.push.devices();
    await expect((await callerFor(ann)).push.remove({ id: bobs!.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await asBob.push.unsubscribe({ endpoint: ok.endpoint });
    expect((await asBob.push.devices()).map((d) => d.endpoint)).not.toContain(ok.endpoint);
  });
});
