import { sql, type SQL } from "drizzle-orm";
import postgres, { type Sql } from "postgres";
import webpush from "web-push";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "@/db/client";
import { isConnectionError } from "@/db/connection-loss";
import { withRls } from "@/db/rls";
import { queryRows } from "@/db/rows";
import { messages, pushSubscriptions, user } from "@/db/schema";
import type { MailMessage } from "@/server/mail/message";
import { sendDueDigests } from "@/server/notifications/digests";
import {
  drainNotificationJobs,
  NOTIFICATION_MAX_ATTEMPTS,
  type Outcome,
} from "@/server/notifications/pipeline";
import { drainPushDeliveries } from "@/server/notifications/push-sender";
import { openAlike, useTestDatabase } from "@/test/database";
import { terminateBackends, watchUnhandled } from "@/test/postgres-faults";
import { startPushServiceStandIn, type PushServiceStandIn } from "@/test/push-service";
import { describeWhere, withoutServerPostgres } from "@/test/requirements";
import { databaseUrl } from "@/test/server-postgres";
import { shareWorkspace } from "@/test/workspace";

/** A drain that has not settled by then hangs: a failure, whatever it would have returned. */
const HANG_MS = 10_000;
/** Messages two workers share in the race: more than two of the pipeline's batches (20). */
const RACE_MESSAGES = 50;
/** Every message reaches Bob and Cid: a digest item each, and a push to each of their devices. */
const DIGESTS_PER_MESSAGE = 2;
const PUSHES_PER_MESSAGE = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const uuids = (ids: readonly string[]) => `{${ids.join(",")}}`;

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Watches a drain from the moment it starts (so its failure is never an unhandled rejection):
 * resolved, rejected, or "hung" if it has not settled within HANG_MS.
 */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return Promise.race([
    promise.then(
      (value): Settled<T> => ({ ok: true, value }),
      (error: unknown): Settled<T> => ({ ok: false, error }),
    ),
    new Promise<Settled<T>>((resolve) =>
      setTimeout(() => resolve({ ok: false, error: "hung" }), HANG_MS).unref(),
    ),
  ]);
}

/**
 * The notification queues (server/notifications: the pipeline's jobs, the pushes, the
 * digests) on server Postgres, through the faults the standard names: a job that fails every
 * time, a worker that dies holding a claimed batch, the database connection lost mid-drain,
 * and two workers on one queue. Whatever happens, each message is decided once, every
 * acknowledged push is sent once, no drain hangs, nothing escapes as an unhandled error, and
 * the next drain works.
 *
 * Cast: Ann writes to a group; Bob (two devices) and Cid (one) are away, with e-mail and push
 * on, so every message means two digest items and three pushes to the loopback push service.
 */
describeWhere(withoutServerPostgres(), "notification queues through faults", () => {
  const database = useTestDatabase("postgres");
  const db = () => database.handle.db;
  const ids = { ann: "", bob: "", cid: "" };
  const recipients = () => [ids.bob, ids.cid].sort();
  /** Push subscriptions on the stand-in, by name, as the stand-in names them. */
  const devices = { bob1: "", bob2: "", cid1: "" };
  const deviceIds = { bob1: "", bob2: "", cid1: "" };
  const vapid = { ...webpush.generateVAPIDKeys(), subject: "mailto:ops@example.test" };
  let team = "";
  let group = "";
  let name = "";
  /** The server's own `postgres` database: where the faults are made, outside the cuts. */
  let serverUrl = "";
  let observer: Sql;
  let service: PushServiceStandIn;
  let unhandled: ReturnType<typeof watchUnhandled>;

  const decide = (on: Database = db()) =>
    drainNotificationJobs(on, {
      isOnline: () => false,
      graceSeconds: 0,
      pushesPerMinute: 1_000,
      pushEnabled: true,
    });
  const push = (on: Database = db()) =>
    drainPushDeliveries(on, { vapid, allowedHosts: ["127.0.0.1"] });
  const rows = <T>(query: SQL) => queryRows<T>(db(), query);

  /** Ann's messages to the group, one transaction, in order; each queues a notification job. */
  const send = (...contents: string[]) =>
    withRls({ userId: ids.ann, organizationId: team }, async (tx) => {
      const sent: string[] = [];
      for (const content of contents) {
        const [row] = await tx
          .insert(messages)
          .values({ chatId: group, senderId: ids.ann, seq: 0, content })
          .returning({ id: messages.id });
        sent.push(row!.id);
      }
      return sent;
    });

  /** Each message the outcomes decided about, with everyone decided about for it, sorted. */
  const decided = (outcomes: readonly Outcome[]) => {
    const by: Record<string, string[]> = {};
    for (const o of outcomes) (by[o.messageId] ??= []).push(o.userId);
    for (const users of Object.values(by)) users.sort();
    return by;
  };
  const decidedFully = (messageIds: readonly string[]) =>
    Object.fromEntries(messageIds.map((id) => [id, recipients()]));

  /** What the pipeline wrote for each message: digest items and pushes (any status). */
  async function written(messageIds: readonly string[]) {
    const found = await rows<{ messageId: string; digests: number; pushes: number }>(
      sql`select m.id::text as "messageId",
            (select count(*)::int from public.digest_items d where d."messageId" = m.id) as digests,
            (select count(*)::int from public.push_deliveries p where p."messageId" = m.id) as pushes
          from public.messages m where m.id = any(${uuids(messageIds)}::uuid[])`,
    );
    return Object.fromEntries(found.map((r) => [r.messageId, [r.digests, r.pushes]]));
  }
  const writtenFully = (messageIds: readonly string[]) =>
    Object.fromEntries(messageIds.map((id) => [id, [DIGESTS_PER_MESSAGE, PUSHES_PER_MESSAGE]]));

  /** The notification jobs still queued: attempts, and whether a lease keeps them off. */
  async function queued(messageIds: readonly string[]) {
    const found = await rows<{ messageId: string; attempts: number; leased: boolean }>(
      sql`select "messageId"::text as "messageId", attempts, "nextAttemptAt" > now() as leased
          from public.notification_jobs where "messageId" = any(${uuids(messageIds)}::uuid[])`,
    );
    return Object.fromEntries(found.map((r) => [r.messageId, r]));
  }

  /**
   * Time passes, rather than being waited for: every lease has run out, and every retry is due
   * (settled pushes too, so one the sender would take again shows).
   */
  async function leasesRunOut() {
    await db().execute(sql`update public.notification_jobs set "nextAttemptAt" = now()`);
    await db().execute(sql`update public.push_deliveries set "nextAttemptAt" = now()`);
  }

  /** The pushes the stand-in decrypted, by device. */
  const receivedBy = () => {
    const counts = { bob1: 0, bob2: 0, cid1: 0 };
    for (const r of service.received) {
      const device = (Object.keys(devices) as (keyof typeof devices)[]).find(
        (d) => devices[d] === r.subscription,
      );
      if (device) counts[device]++;
    }
    return counts;
  };

  /**
   * Row locks held by a transaction of the test's own until released, or until its connection
   * is cut with the others: what keeps a drain waiting at a known statement.
   */
  async function holdLocks(statement: SQL): Promise<() => Promise<void>> {
    const holder = openAlike(database.handle, { max: 1 });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const transaction = settle(
      holder.db.transaction(async (tx) => {
        await tx.execute(statement);
        locked();
        await released;
      }),
    );
    await Promise.race([
      holding,
      transaction.then((t) => {
        throw new Error(`the locks were not taken: ${String(t.ok ? "" : t.error)}`);
      }),
    ]);
    return async () => {
      release();
      // Committed, or gone with its connection: either way the locks are let go.
      await transaction;
      await holder.close();
    };
  }

  /** Waits until a session of the test database waits for a lock: a drain is stuck on one. */
  async function lockWaiter(): Promise<void> {
    const deadline = Date.now() + HANG_MS;
    for (;;) {
      const [row] = await observer<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where datname = ${name} and wait_event_type = 'Lock'`;
      if ((row?.n ?? 0) > 0) return;
      if (Date.now() > deadline) throw new Error("no drain ever waited for the held lock");
      await sleep(20);
    }
  }

  /** Waits until `check` holds; the deadline only turns a hang into a failure. */
  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + HANG_MS;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`never: ${what}`);
      await sleep(20);
    }
  }

  /**
   * The database connection lost, as an operator's or a failover's pg_terminate_backend does:
   * first the session stuck on the held lock, waited for until it is gone (so it cannot slip
   * through as the lock goes with its holder), then every session of the test database
   * (test/postgres-faults.ts): the holder's, the pools' idle ones. Then a moment for the pools
   * to notice, as in db/lost-connection.test.ts.
   */
  async function cutConnections(): Promise<void> {
    await observer`
      select pg_terminate_backend(pid, 5000) from pg_stat_activity
      where datname = ${name} and wait_event_type = 'Lock'`;
    await terminateBackends(serverUrl, name);
    await sleep(100);
  }

  beforeAll(async () => {
    unhandled = watchUnhandled();
    name = new URL(database.handle.url!).pathname.slice(1);
    serverUrl = databaseUrl(database.handle.url!, "postgres");
    observer = postgres(serverUrl, { max: 1, onnotice: () => {} });
    service = await startPushServiceStandIn();
    const people = await db()
      .insert(user)
      .values(
        (["ann", "bob", "cid"] as const).map((p) => ({
          name: p,
          email: `${p}@queues.example.test`,
          emailVerified: true,
        })),
      )
      .returning({ id: user.id, name: user.name });
    for (const p of people) ids[p.name as keyof typeof ids] = p.id;
    team = await shareWorkspace([ids.ann, ids.bob, ids.cid], "Chaos", db());
    group = await withRls({ userId: ids.ann, organizationId: team }, async (tx) => {
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`select public.create_group_chat('Launch plan', '', ${uuids([ids.bob, ids.cid])}::uuid[]) as id`,
      );
      return row!.id;
    });
    for (const [device, owner] of [
      ["bob1", ids.bob],
      ["bob2", ids.bob],
      ["cid1", ids.cid],
    ] as const) {
      const subscription = service.subscribe();
      const [row] = await db()
        .insert(pushSubscriptions)
        .values({ userId: owner, endpoint: subscription.endpoint, ...subscription.keys })
        .returning({ id: pushSubscriptions.id });
      devices[device] = subscription.endpoint.split("/").at(-1)!;
      deviceIds[device] = row!.id;
    }
  });

  afterAll(async () => {
    unhandled?.stop();
    await observer?.end({ timeout: 5 });
    await service?.close();
  });

  // Each test starts from empty queues; what it leaves behind is its own business.
  beforeEach(async () => {
    for (const table of [
      "notification_jobs",
      "push_deliveries",
      "digest_items",
      "digest_state",
      "dead_letters",
    ]) {
      await db().execute(sql.raw(`delete from public.${table}`));
    }
    service.received.length = 0;
    service.refused.length = 0;
  });

  it("sets a poisoned job aside after its last attempt, backing off, never in front of the others", async () => {
    // The poison, in this test's database only: the pushes of one message are refused, as a
    // constraint or a bug that trips over one message would, on every attempt. They are the
    // decision's second write, after the digest items.
    await db().execute(sql`create table public.chaos_poisoned ("messageId" uuid primary key)`);
    await db().execute(
      sql.raw(`create function public.chaos_refuse_poisoned() returns trigger
        language plpgsql as $$
        begin
          if exists (select 1 from public.chaos_poisoned p where p."messageId" = new."messageId") then
            raise exception 'message % is poisoned by the test', new."messageId"
              using errcode = 'P0001';
          end if;
          return new;
        end $$`),
    );
    await db().execute(
      sql`create trigger chaos_refuse_poisoned before insert on public.push_deliveries
          for each row execute function public.chaos_refuse_poisoned()`,
    );
    try {
      const [poisoned] = await send("the poisoned one");
      await db().execute(sql`insert into public.chaos_poisoned values (${poisoned!}::uuid)`);
      /** The poisoned job first in line, ahead of everything queued behind it. */
      const firstInLine = () =>
        db().execute(
          sql`update public.notification_jobs set "nextAttemptAt" = now() - interval '1 hour'
              where "messageId" = ${poisoned!}::uuid`,
        );
      await firstInLine();
      // More than a batch behind it the first time, then one new message before each retry.
      let behind = await send(...Array.from({ length: 25 }, (_, i) => `behind it ${i}`));

      for (let attempt = 1; attempt <= NOTIFICATION_MAX_ATTEMPTS; attempt++) {
        const [{ before } = { before: "" }] = await rows<{ before: string }>(
          sql`select now()::text as before`,
        );
        const outcomes = await decide();
        const [{ after } = { after: "" }] = await rows<{ after: string }>(
          sql`select now()::text as after`,
        );
        // The jobs behind it were decided in the same drain, each once; it never was.
        expect(decided(outcomes)).toEqual(decidedFully(behind));
        expect(await written(behind)).toEqual(writtenFully(behind));
        // Nothing of it was kept: its digest items went with the refused pushes.
        expect(await written([poisoned!])).toEqual({ [poisoned!]: [0, 0] });

        if (attempt < NOTIFICATION_MAX_ATTEMPTS) {
          // Retried later, each time twice as much later: 30 s, 60 s, 120 s, … from the claim.
          const backoff = 30 * 2 ** (attempt - 1);
          const [job] = await rows<{ attempts: number; backedOff: boolean }>(
            sql`select attempts,
                  "nextAttemptAt" >= ${before}::timestamptz + make_interval(secs => ${backoff})
                  and "nextAttemptAt" <= ${after}::timestamptz + make_interval(secs => ${backoff})
                    as "backedOff"
                from public.notification_jobs where "messageId" = ${poisoned!}::uuid`,
          );
          expect(job).toEqual({ attempts: attempt, backedOff: true });
          expect(await decide()).toEqual([]);
          await firstInLine();
          behind = await send(`behind it after attempt ${attempt}`);
        }
      }

      // After the last attempt: a dead letter on the notifications queue, and out of the queue.
      expect(await queued([poisoned!])).toEqual({});
      const letters = await rows<{
        queue: string;
        payload: unknown;
        attempts: number;
        error: string;
      }>(sql`select queue, payload, attempts, error from public.dead_letters`);
      expect(letters).toEqual([
        {
          queue: "notifications",
          payload: { messageId: poisoned },
          attempts: NOTIFICATION_MAX_ATTEMPTS,
          error: expect.stringContaining("poisoned by the test") as string,
        },
      ]);
      expect(letters[0]?.error).toContain("P0001");
      const [later] = await send("after it was set aside");
      expect(decided(await decide())).toEqual(decidedFully([later!]));
      expect(await decide()).toEqual([]);
    } finally {
      await db().execute(sql`drop trigger chaos_refuse_poisoned on public.push_deliveries`);
      await db().execute(sql`drop function public.chaos_refuse_poisoned()`);
      await db().execute(sql`drop table public.chaos_poisoned`);
    }
    expect(unhandled.seen).toEqual([]);
  });

  it("gives a crashed worker's claimed batch back once its lease runs out, and decides it once", async () => {
    const batch = await send("crash one", "crash two", "crash three");
    // The worker is stuck deciding the first message of its batch (whichever it is) when it
    // dies: the test holds the messages' rows, which the decision's digest items reference.
    const release = await holdLocks(
      sql`select 1 from public.messages where id = any(${uuids(batch)}::uuid[]) for update`,
    );
    const worker = openAlike(database.handle, { max: 1 });
    let dead = false;
    // The worker's database, until its process dies: after that it starts nothing more.
    const workerDb = new Proxy(worker.db, {
      get(target, key, receiver) {
        if (dead) throw new Error("the worker died");
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const crashed = settle(decide(workerDb));
    await lockWaiter();
    // It dies: it issues no further statement, and every session it had is cut.
    dead = true;
    await cutConnections();
    // Its drain ends there (it is not there to see it, but it must not hang meanwhile).
    const outcome = await crashed;
    expect(outcome.ok ? null : String(outcome.error)).toContain("the worker died");
    // (postgres.js's own `begin`, which the pipeline's decision uses, leaves the connection it
    // lost half-settled until it is used again or the pool's end gives up after 5 s: one
    // statement on the worker's pool, the test's and not the dead worker's, settles it.)
    await worker.db.execute(sql`select 1`);
    await worker.close();
    await release();

    // The whole batch is still queued, claimed (one attempt) and leased; nothing was written.
    expect(await queued(batch)).toEqual(
      Object.fromEntries(batch.map((id) => [id, { messageId: id, attempts: 1, leased: true }])),
    );
    expect(await written(batch)).toEqual(Object.fromEntries(batch.map((id) => [id, [0, 0]])));
    // While the lease lasts, nobody takes it; once it has run out, the survivor decides it once.
    expect(await decide()).toEqual([]);
    await leasesRunOut();
    expect(decided(await decide())).toEqual(decidedFully(batch));
    expect(await written(batch)).toEqual(writtenFully(batch));
    expect(await queued(batch)).toEqual({});
    expect(await decide()).toEqual([]);

    // A push worker dies just after its claim (push-sender.ts's statement, word for word),
    // before it sends anything: its connection goes as the process does.
    const pusher = postgres(database.handle.url!, { max: 1, onnotice: () => {} });
    try {
      const claimed = await pusher.unsafe(
        `update public.push_deliveries d
         set attempts = d.attempts + 1,
             "nextAttemptAt" = now() + make_interval(secs => 30 * power(2, d.attempts))
         where d.id in (
           select id from public.push_deliveries
           where status = 'queued' and "nextAttemptAt" <= now()
           order by "nextAttemptAt"
           limit 20
           for update skip locked
         )
         returning d.id`,
      );
      expect(claimed).toHaveLength(batch.length * PUSHES_PER_MESSAGE);
    } finally {
      await pusher.end({ timeout: 5 });
    }
    expect(await push()).toBe(0);
    expect(service.received).toEqual([]);
    await leasesRunOut();
    expect(await push()).toBe(batch.length * PUSHES_PER_MESSAGE);
    expect(receivedBy()).toEqual({ bob1: 3, bob2: 3, cid1: 3 });
    expect(await push()).toBe(0);
    expect(receivedBy()).toEqual({ bob1: 3, bob2: 3, cid1: 3 });
    expect(unhandled.seen).toEqual([]);
  });

  it("fails a push drain cleanly when the connection is lost, never sends an acknowledged push again, and recovers", async () => {
    const [message] = await send("pushed through a fault");
    expect(decided(await decide())).toEqual(decidedFully([message!]));
    // Bob's second device's subscription is held, so recording its push as sent waits.
    const release = await holdLocks(
      sql`select 1 from public.push_subscriptions where id = ${deviceIds.bob2}::uuid for update`,
    );
    const draining = settle(push());
    await lockWaiter();
    await until("the other two pushes are acknowledged", async () => {
      const [row] = await rows<{ n: number }>(
        sql`select count(*)::int as n from public.push_deliveries where status = 'sent'`,
      );
      return row?.n === 2;
    });
    await cutConnections();
    // The drain fails, for the lost connection, and does not hang.
    const outcome = await draining;
    expect(outcome.ok ? null : isConnectionError(outcome.error)).toBe(true);
    await release();

    // The push service had all three; Parley recorded two. The third stays queued, leased.
    expect(receivedBy()).toEqual({ bob1: 1, bob2: 1, cid1: 1 });
    const deliveries = await rows<{ subscriptionId: string; status: string; attempts: number }>(
      sql`select "subscriptionId"::text as "subscriptionId", status, attempts
          from public.push_deliveries order by status, "subscriptionId"`,
    );
    expect(deliveries).toEqual([
      { subscriptionId: deviceIds.bob2, status: "queued", attempts: 1 },
      ...[deviceIds.bob1, deviceIds.cid1]
        .sort()
        .map((id) => ({ subscriptionId: id, status: "sent", attempts: 1 })),
    ]);

    // The next drains work at once: a new message is decided and pushed to every device.
    const [next] = await send("after the fault");
    expect(decided(await decide())).toEqual(decidedFully([next!]));
    expect(await push()).toBe(PUSHES_PER_MESSAGE);
    expect(receivedBy()).toEqual({ bob1: 2, bob2: 2, cid1: 2 });
    // Once its lease runs out, the unacknowledged push goes again (at least once); the
    // acknowledged ones never do.
    await leasesRunOut();
    expect(await push()).toBe(1);
    expect(receivedBy()).toEqual({ bob1: 2, bob2: 3, cid1: 2 });
    expect(await push()).toBe(0);
    const [unsettled] = await rows<{ n: number }>(
      sql`select count(*)::int as n from public.push_deliveries where status <> 'sent'`,
    );
    expect(unsettled?.n).toBe(0);
    expect(unhandled.seen).toEqual([]);
  });

  it("loses no decision and doubles none when the connection is lost mid-pipeline", async () => {
    const batch = await send("cut one", "cut two", "cut three");
    const stuck = batch[1]!;
    const release = await holdLocks(
      sql`select 1 from public.messages where id = ${stuck}::uuid for update`,
    );
    const draining = settle(decide());
    await lockWaiter();
    await cutConnections();
    // The drain settles: it may finish (the pipeline counts a failed decision as an attempt
    // and goes on) or fail (its next claim met a cut connection). It never hangs.
    const outcome = await draining;
    expect(outcome.ok ? null : outcome.error).not.toBe("hung");
    await release();

    // Each message is either decided (its job gone, everything written) or back in the queue
    // with one attempt and its lease (nothing written). The one cut mid-decision is queued.
    const jobs = await queued(batch);
    const left = batch.filter((id) => jobs[id]);
    const done = batch.filter((id) => !jobs[id]);
    expect(left).toContain(stuck);
    for (const id of left) expect(jobs[id]).toEqual({ messageId: id, attempts: 1, leased: true });
    expect(await written(batch)).toEqual({
      ...writtenFully(done),
      ...Object.fromEntries(left.map((id) => [id, [0, 0]])),
    });
    if (outcome.ok) {
      for (const [id, users] of Object.entries(decided(outcome.value))) {
        expect(done).toContain(id);
        expect(users).toEqual(recipients());
      }
    }
    // What is left is decided once its lease runs out, and only that.
    expect(await decide()).toEqual([]);
    await leasesRunOut();
    expect(decided(await decide())).toEqual(decidedFully(left));
    expect(await written(batch)).toEqual(writtenFully(batch));
    expect(await decide()).toEqual([]);
    expect(unhandled.seen).toEqual([]);
  });

  it("decides each message once, pushes each once and mails each digest once with two workers racing", async () => {
    const race = await send(...Array.from({ length: RACE_MESSAGES }, (_, i) => `race ${i}`));
    const rival: DatabaseHandle = openAlike(database.handle, { max: 4 });
    try {
      // Two processes, each running its pipeline twice at once (a slow tick and the next).
      const outcomes = await Promise.all([decide(), decide(rival.db), decide(), decide(rival.db)]);
      expect(decided(outcomes.flat())).toEqual(decidedFully(race));
      expect(await written(race)).toEqual(writtenFully(race));
      expect(await queued(race)).toEqual({});

      const sent = await Promise.all([push(), push(rival.db), push(), push(rival.db)]);
      expect(sent.reduce((a, b) => a + b, 0)).toBe(RACE_MESSAGES * PUSHES_PER_MESSAGE);
      const each = new Set(
        service.received.map((r) => `${r.subscription} ${(r.payload as { url: string }).url}`),
      );
      expect(service.received).toHaveLength(RACE_MESSAGES * PUSHES_PER_MESSAGE);
      expect(each.size).toBe(RACE_MESSAGES * PUSHES_PER_MESSAGE);

      const mails: MailMessage[] = [];
      const digests = (on: Database) =>
        sendDueDigests(on, {
          isOnline: () => false,
          delaySeconds: 0,
          intervalSeconds: 3_600,
          appUrl: "https://parley.example.test",
          send: (mail) => {
            mails.push(mail);
            return Promise.resolve();
          },
        });
      const mailed = await Promise.all([
        digests(db()),
        digests(rival.db),
        digests(db()),
        digests(rival.db),
      ]);
      expect(mailed.flat().sort()).toEqual(recipients());
      expect(mails.map((m) => m.to).sort()).toEqual([
        "bob@queues.example.test",
        "cid@queues.example.test",
      ]);
      const [held] = await rows<{ n: number }>(
        sql`select count(*)::int as n from public.digest_items`,
      );
      expect(held?.n).toBe(0);
    } finally {
      await rival.close();
    }
    expect(unhandled.seen).toEqual([]);
  });
});
