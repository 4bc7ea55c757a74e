import { eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_EVENT_TYPES } from "@/contracts/webhooks";
import { queryRows } from "@/db/rows";
import { member, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { env } from "@/server/env";
import { sendSigned } from "@/server/webhooks/send";
import {
  drainWebhookDeliveries,
  purgeWebhookLog,
  type WebhookWorkerOptions,
} from "@/server/webhooks/worker";
import { useTestDatabase, type TestDriver } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";
import {
  startWebhookReceiver,
  type ReceivedWebhook,
  type WebhookReceiver,
} from "@/test/webhook-receiver";

interface Payload {
  type: string;
  timestamp: string;
  data: Record<string, unknown> & { message?: Record<string, unknown> };
}

/**
 * Outgoing webhooks end to end on one database engine: events queued by the change's own
 * transaction, sent by the worker to a real loopback receiver that checks every signature
 * with the Standard Webhooks reference library, retried on the schedule, skipped where the
 * endpoint's owner may not read, an endpoint turned off after failing, and the address rules.
 * Better Auth binds to the first database a process opens, so each engine runs in its own
 * file (server/webhooks/).
 */
export function webhooksSuite(driver: TestDriver): void {
  describe(`webhooks on ${driver}`, () => {
    const database = useTestDatabase(driver);
    const db = () => database.handle.db;
    let receiver: WebhookReceiver;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;

    const drain = (options: Partial<WebhookWorkerOptions> = {}) =>
      drainWebhookDeliveries({ db: db(), allowPrivate: true, disableAfterFailures: 3, ...options });

    const deliveriesOf = (endpointId: string) =>
      db()
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, endpointId))
        .orderBy(webhookDeliveries.id);

    /** Each request's payload, after its signature checked out with the endpoint's secret. */
    const verified = (requests: ReceivedWebhook[], secret: string) =>
      requests.map(
        (r) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as Payload,
      );

    async function endpointFor(who: TestUser, path: string, owner: "user" | "workspace" = "user") {
      const api = await callerFor(who);
      return api.webhooks.create({
        owner,
        url: `${receiver.url}${path}`,
        description: `${who.name}'s receiver`,
        eventTypes: [...WEBHOOK_EVENT_TYPES],
      });
    }

    beforeAll(async () => {
      expect(env.webhooks.allowPrivateTargets).toBe(true);
      receiver = await startWebhookReceiver();
      alice = await signUp("Alice Webhook");
      bob = await signUp("Bob Webhook");
      carol = await signUp("Carol Webhook");
    });

    afterAll(async () => {
      await receiver?.close();
    });

    it("delivers signed events for messages, members and reactions, after commit", async () => {
      const { endpoint, secret } = await endpointFor(alice, "/alice");
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      const asAlice = await callerFor(alice);
      const asBob = await callerFor(bob);
      const asCarol = await callerFor(carol);
      const group = await asAlice.chats.createGroup({ name: "Hooks", memberIds: [bob.id] });
      const sent = await asAlice.messages.send({ chatId: group.id, content: "first words" });
      expect((await deliveriesOf(endpoint.id)).every((d) => d.status === "pending")).toBe(true);
      await drain();
      await asBob.messages.react({ messageId: sent.id, emoji: "👍" });
      await asBob.messages.unreact({ messageId: sent.id, emoji: "👍" });
      await asAlice.messages.edit({ messageId: sent.id, content: "better words" });
      await drain();
      await asAlice.messages.delete({ messageId: sent.id });
      await asAlice.chats.addMembers({ chatId: group.id, userIds: [carol.id] });
      await asCarol.chats.leave({ chatId: group.id });
      // A rolled-back change queues nothing.
      await expect(
        db().transaction(async (tx) => {
          await tx.execute(
            sql`insert into public.messages ("chatId", "senderId", content)
                values (${group.id}::uuid, ${alice.id}::uuid, 'never sent')`,
          );
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");

      await drain();

      const payloads = verified(receiver.at("/alice"), secret);
      expect(new Set(payloads.map((p) => p.type))).toEqual(new Set(WEBHOOK_EVENT_TYPES));
      const byType = (type: string) => payloads.filter((p) => p.type === type);
      expect(byType("message.created")).toHaveLength(1);
      expect(byType("message.created")[0]!.data).toMatchObject({
        chatId: group.id,
        organizationId: alice.organizationId,
        message: { id: sent.id, senderId: alice.id, content: "first words", type: "text" },
      });
      expect(byType("message.edited")[0]!.data.message).toMatchObject({ content: "better words" });
      expect(byType("message.deleted")[0]!.data.message).toMatchObject({ content: null });
      expect(byType("reaction.added")[0]!.data).toMatchObject({
        messageId: sent.id,
        userId: bob.id,
        emoji: "👍",
      });
      expect(byType("reaction.removed")).toHaveLength(1);
      expect(byType("member.joined").map((p) => p.data.userId)).toEqual(
        expect.arrayContaining([alice.id, bob.id, carol.id]),
      );
      expect(byType("member.left").map((p) => p.data.userId)).toEqual([carol.id]);
      expect(JSON.stringify(payloads)).not.toContain("never sent");
      // Once deleted, the words are gone from the log too.
      const logged = JSON.stringify((await deliveriesOf(endpoint.id)).map((d) => d.payload));
      expect(logged).toContain(sent.id);
      expect(logged).not.toContain("first words");
      expect(logged).not.toContain("better words");

      const log = await deliveriesOf(endpoint.id);
      expect(log.every((d) => d.status === "succeeded" && d.responseStatus === 204)).toBe(true);
      const first = receiver.at("/alice")[0]!;
      expect(log.map((d) => `msg_${d.eventId}`)).toContain(first.headers["webhook-id"]);
      expect(Number(first.headers["webhook-timestamp"])).toBeGreaterThan(Date.now() / 1000 - 60);
      // The signature covers the body: a changed byte, or another secret, fails verification.
      expect(() =>
        new Webhook(secret).verify(
          first.body.replace("{", "{ "),
          first.headers as Record<string, string>,
        ),
      ).toThrow();
      const other = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
      expect(() =>
        new Webhook(other).verify(first.body, first.headers as Record<string, string>),
      ).toThrow();
    });

    it("skips an event in a chat the owner can no longer read, and never queues one they never could", async () => {
      const { endpoint } = await endpointFor(carol, "/carol");
      const asAlice = await callerFor(alice);
      const asCarol = await callerFor(carol);
      const shared = await asAlice.chats.createGroup({ name: "Brief", memberIds: [carol.id] });
      const secret = await asAlice.chats.createGroup({ name: "Secret", memberIds: [bob.id] });
      await drain();
      const before = (await deliveriesOf(endpoint.id)).length;

      await asAlice.messages.send({ chatId: shared.id, content: "carol may not read this later" });
      await asAlice.messages.send({ chatId: secret.id, content: "never for carol" });
      await asCarol.chats.leave({ chatId: shared.id });
      await drain();

      const log = (await deliveriesOf(endpoint.id)).slice(before);
      const created = log.filter((d) => d.eventType === "message.created");
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ status: "skipped", chatId: shared.id, payload: null });
      expect(created[0]!.lastError).toMatch(/may not read/);
      expect(log.some((d) => d.chatId === secret.id)).toBe(false);
      const bodies = receiver.at("/carol").map((r) => r.body);
      expect(bodies.join()).not.toContain("carol may not read this later");
      expect(bodies.join()).not.toContain("never for carol");
    });

    it("gives a workspace's endpoint its public rooms only", async () => {
      await db()
        .update(member)
        .set({ role: "admin" })
        .where(
          sql`${member.userId} = ${bob.id}::uuid and ${member.organizationId} = ${bob.organizationId}::uuid`,
        );
      const asAlice = await callerFor(alice);
      // A plain member may not add one.
      expect(await codeOf(endpointFor(alice, "/nope", "workspace"))).toBe("FORBIDDEN");
      const { endpoint, secret } = await endpointFor(bob, "/workspace", "workspace");
      expect(endpoint.owner).toBe("workspace");
      const room = await asAlice.chats.createGroup({
        name: "Town square",
        visibility: "public",
        memberIds: [],
      });
      const hidden = await asAlice.chats.createGroup({ name: "Back room", memberIds: [bob.id] });
      const closing = await asAlice.chats.createGroup({
        name: "Closing soon",
        visibility: "public",
        memberIds: [],
      });
      await asAlice.messages.send({ chatId: room.id, content: "hello, everyone" });
      await asAlice.messages.send({ chatId: hidden.id, content: "between us" });
      await asAlice.messages.send({ chatId: closing.id, content: "said before it closed" });
      // Made private before the worker sends: what counts is what the workspace may read then.
      await db().execute(
        sql`update public.chats set visibility = 'private' where id = ${closing.id}::uuid`,
      );
      await drain();

      const payloads = verified(receiver.at("/workspace"), secret);
      const texts = payloads.map((p) => p.data.message?.content).filter(Boolean);
      expect(texts).toEqual(["hello, everyone"]);
      const log = await deliveriesOf(endpoint.id);
      expect(log.some((d) => d.chatId === hidden.id)).toBe(false);
      const closed = log.filter((d) => d.chatId === closing.id);
      expect(closed.length).toBeGreaterThan(0);
      expect(closed.every((d) => d.status === "skipped")).toBe(true);
    });

    it("retries a failing delivery on the schedule, under the same id, until it succeeds", async () => {
      const { endpoint, secret } = await endpointFor(bob, "/flaky");
      receiver.answer("/flaky", 500, 503);
      const asBob = await callerFor(bob);
      await asBob.webhooks.sendTest({ id: endpoint.id });

      await drain();
      let [delivery] = await deliveriesOf(endpoint.id);
      expect(delivery).toMatchObject({ status: "pending", attempts: 1, responseStatus: 500 });
      const firstWait = delivery!.nextAttemptAt.getTime() - delivery!.lastAttemptAt!.getTime();
      expect(firstWait).toBeGreaterThanOrEqual(4_400);
      expect(firstWait).toBeLessThanOrEqual(5_600);
      // Not due yet: nothing is sent.
      await drain();
      expect(receiver.at("/flaky")).toHaveLength(1);

      await db().execute(sql`update public.webhook_deliveries set "nextAttemptAt" = now()
        where "endpointId" = ${endpoint.id}::uuid`);
      await drain();
      [delivery] = await deliveriesOf(endpoint.id);
      expect(delivery).toMatchObject({ status: "pending", attempts: 2, responseStatus: 503 });
      const secondWait = delivery!.nextAttemptAt.getTime() - delivery!.lastAttemptAt!.getTime();
      expect(secondWait).toBeGreaterThanOrEqual(270_000);
      expect(secondWait).toBeLessThanOrEqual(330_000);

      await db().execute(sql`update public.webhook_deliveries set "nextAttemptAt" = now()
        where "endpointId" = ${endpoint.id}::uuid`);
      await drain();
      [delivery] = await deliveriesOf(endpoint.id);
      expect(delivery).toMatchObject({ status: "succeeded", attempts: 3, responseStatus: 204 });
      const requests = receiver.at("/flaky");
      expect(requests).toHaveLength(3);
      expect(new Set(requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
      expect(verified(requests, secret).map((p) => p.type)).toEqual(Array(3).fill("webhook.test"));
    });

    it("turns an endpoint off after deliveries fail in a row, and back on when asked", async () => {
      const { endpoint } = await endpointFor(carol, "/down");
      receiver.answer("/down", 500, 500, 500, 500);
      const asCarol = await callerFor(carol);
      const oneTry = { retryDelaysMs: [], disableAfterFailures: 2 };
      await asCarol.webhooks.sendTest({ id: endpoint.id });
      await drain(oneTry);
      expect(await asCarol.webhooks.get({ id: endpoint.id })).toMatchObject({
        enabled: true,
        consecutiveFailures: 1,
      });
      await asCarol.webhooks.sendTest({ id: endpoint.id });
      await drain(oneTry);
      const off = await asCarol.webhooks.get({ id: endpoint.id });
      expect(off).toMatchObject({ enabled: false, consecutiveFailures: 2 });
      expect(off.disabledReason).toMatch(/2 deliveries in a row failed.*answered 500/);
      expect(off.disabledAt).toBeInstanceOf(Date);
      const log = await deliveriesOf(endpoint.id);
      expect(log.map((d) => [d.status, d.responseStatus])).toEqual([
        ["failed", 500],
        ["failed", 500],
      ]);

      // Queued while off: skipped, not sent.
      await asCarol.webhooks.sendTest({ id: endpoint.id });
      await drain(oneTry);
      expect((await deliveriesOf(endpoint.id))[2]).toMatchObject({ status: "skipped" });
      expect(receiver.at("/down")).toHaveLength(2);

      const on = await asCarol.webhooks.update({ id: endpoint.id, enabled: true });
      expect(on).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
      const [failed] = await deliveriesOf(endpoint.id);
      await asCarol.webhooks.redeliver({ id: failed!.id });
      await drain(oneTry);
      expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ status: "failed", attempts: 1 });
      expect(receiver.at("/down")).toHaveLength(3);
    });

    it("follows no redirect, and reaches loopback only where private targets are allowed", async () => {
      const { endpoint } = await endpointFor(alice, "/moved");
      receiver.redirect("/moved", "/landed");
      const asAlice = await callerFor(alice);
      await asAlice.webhooks.sendTest({ id: endpoint.id });
      await drain({ retryDelaysMs: [] });
      expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({
        status: "failed",
        responseStatus: 302,
      });
      expect(receiver.at("/moved")).toHaveLength(1);
      expect(receiver.at("/landed")).toHaveLength(0);

      const { endpoint: guarded } = await endpointFor(alice, "/guarded");
      await asAlice.webhooks.sendTest({ id: guarded.id });
      await drain({ allowPrivate: false });
      const [refused] = await deliveriesOf(guarded.id);
      // Refused for good at once: an address does not become public by waiting.
      expect(refused).toMatchObject({ status: "failed", attempts: 1, responseStatus: null });
      expect(refused!.lastError).toMatch(/^refused: .*loopback/);
      expect(receiver.at("/guarded")).toHaveLength(0);

      const message = { id: "msg_x", timestamp: new Date(), body: "{}" };
      const key = `whsec_${Buffer.alloc(32, 1).toString("base64")}`;
      for (const url of ["http://10.0.0.5/hook", "http://[::1]:9/hook", `${receiver.url}/direct`]) {
        expect(await sendSigned(url, key, message, { allowPrivate: false })).toMatchObject({
          kind: "refused",
        });
      }
      expect(
        await sendSigned("http://169.254.169.254/latest/meta-data", key, message, {
          allowPrivate: true,
        }),
      ).toMatchObject({ kind: "refused" });
      expect(receiver.at("/direct")).toHaveLength(0);

      for (const url of [
        "https://169.254.169.254/latest",
        "https://[fe80::1]/",
        "ftp://example.com/",
      ]) {
        expect(
          await codeOf(asAlice.webhooks.create({ url, eventTypes: ["message.created"] })),
        ).toBe("BAD_REQUEST");
      }
    });

    it("keeps endpoints, deliveries and secrets to whoever manages them", async () => {
      const { endpoint } = await endpointFor(alice, "/private");
      const asAlice = await callerFor(alice);
      const asBob = await callerFor(bob);
      await asAlice.webhooks.sendTest({ id: endpoint.id });
      await drain();
      const [delivery] = await deliveriesOf(endpoint.id);

      expect((await asBob.webhooks.list({ owner: "user" })).map((e) => e.id)).not.toContain(
        endpoint.id,
      );
      const id = { id: endpoint.id };
      expect(await codeOf(asBob.webhooks.get(id))).toBe("NOT_FOUND");
      expect(await codeOf(asBob.webhooks.update({ ...id, description: "mine now" }))).toBe(
        "NOT_FOUND",
      );
      expect(await codeOf(asBob.webhooks.rotateSecret(id))).toBe("NOT_FOUND");
      expect(await codeOf(asBob.webhooks.sendTest(id))).toBe("NOT_FOUND");
      expect(await codeOf(asBob.webhooks.deliveries({ endpointId: endpoint.id }))).toBe(
        "NOT_FOUND",
      );
      expect(await codeOf(asBob.webhooks.redeliver({ id: delivery!.id }))).toBe("NOT_FOUND");
      expect(await codeOf(asBob.webhooks.delete(id))).toBe("NOT_FOUND");
      expect(await asAlice.webhooks.get(id)).toMatchObject({
        description: "Alice Webhook's receiver",
      });

      // The owner sees the log, and a rotated secret signs from then on.
      const log = await asAlice.webhooks.deliveries({ endpointId: endpoint.id });
      expect(log.map((d) => d.status)).toEqual(["succeeded"]);
      const rotated = await asAlice.webhooks.rotateSecret(id);
      await asAlice.webhooks.sendTest(id);
      await drain();
      const last = receiver.at("/private").at(-1)!;
      expect(verified([last], rotated.secret)[0]!.type).toBe("webhook.test");
      const [stored] = await queryRows<{ secret: string }>(
        db(),
        sql`select secret from public.webhook_endpoints where id = ${endpoint.id}::uuid`,
      );
      expect(stored!.secret).toBe(rotated.secret);
      expect(JSON.stringify(await asAlice.webhooks.list({ owner: "user" }))).not.toContain(
        rotated.secret,
      );

      // The log forgets settled deliveries after its time, never pending ones.
      await db()
        .execute(sql`update public.webhook_deliveries set "settledAt" = now() - interval '31 days'
        where "endpointId" = ${endpoint.id}::uuid`);
      expect(await purgeWebhookLog(db())).toBeGreaterThanOrEqual(2);
      expect(await deliveriesOf(endpoint.id)).toEqual([]);

      await asAlice.webhooks.delete(id);
      expect(
        await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id)),
      ).toEqual([]);
      expect(await deliveriesOf(endpoint.id)).toEqual([]);
    });
  });
}
