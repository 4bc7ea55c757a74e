import type { SupabaseClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openPostgres, type DatabaseHandle } from "@/db/client";
import { getAuth } from "@/server/auth";
import { useTestDatabase } from "@/test/database";
import { describeWhere } from "@/test/requirements";
import {
  realtimeClient,
  startRealtimeTestServer,
  subscribe,
  until,
  type RealtimeTestServer,
  userToken,
} from "@/test/realtime";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { presenceTopic } from "@/lib/realtime/events";

/**
 * Two gateway instances on one server Postgres, each with its own connection pool, fanning
 * out through LISTEN/NOTIFY. Domain events are relayed by instance A only, as if the
 * requests that caused them had reached A. Behind PgBouncer in transaction mode, each
 * instance's queries and NOTIFYs go through the pooler and its LISTEN to Postgres directly,
 * as DATABASE_POOLER with DIRECT_DATABASE_URL sets them up.
 */
export interface InstancesSetup {
  name: string;
  /** Why the suite cannot run here, or null. */
  missing: string | null;
  pooled: boolean;
}

/** One test file per setup: Better Auth keeps the first database a file installs. */
export function describeTwoInstances(setup: InstancesSetup): void {
  describeWhere(setup.missing, setup.name, () => {
    const database = useTestDatabase("postgres", { pooled: setup.pooled });
    let handleA: DatabaseHandle;
    let handleB: DatabaseHandle;
    let a: RealtimeTestServer;
    let b: RealtimeTestServer | undefined;
    let alice: TestUser;
    let bob: TestUser;
    let chatId: string;
    const clients: SupabaseClient[] = [];

    const clientOn = async (server: RealtimeTestServer, who: TestUser) => {
      const client = await realtimeClient(server.url, {
        token: (await userToken(who)).token,
      });
      clients.push(client);
      return client;
    };

    beforeAll(async () => {
      const url = database.handle.url as string;
      const instance = () =>
        setup.pooled
          ? openPostgres(url, { max: 2, pooler: true, directUrl: database.handle.directUrl! })
          : openPostgres(url, { max: 2 });
      handleA = instance();
      handleB = instance();
      a = await startRealtimeTestServer(handleA, { distributed: true });
      alice = await signUp("Alice");
      bob = await signUp("Bob");
      chatId = (
        await (await callerFor(alice)).chats.createGroup({ name: "Cluster", memberIds: [bob.id] })
      ).id;
    });

    afterAll(async () => {
      await Promise.all(clients.map((c) => c.removeAllChannels()));
      await b?.close();
      await a.close();
      await handleA.close();
      await handleB.close();
    });

    it("shares presence with an instance that starts later, and delivers each other's events", async () => {
      const presence = { config: { private: true, presence: { enabled: true } } };
      const aliceOnA = (await clientOn(a, alice)).channel(
        presenceTopic(alice.organizationId),
        presence,
      );
      expect((await subscribe(aliceOnA)).status).toBe("SUBSCRIBED");
      expect(await aliceOnA.track({})).toBe("ok");

      b = await startRealtimeTestServer(handleB, { distributed: true, relayDomainEvents: false });
      const bobClient = await clientOn(b, bob);
      const bobPresence = bobClient.channel(presenceTopic(bob.organizationId), presence);
      expect((await subscribe(bobPresence)).status).toBe("SUBSCRIBED");
      await until(() => Object.keys(bobPresence.presenceState()).includes(alice.id), "alice on B");

      // A domain event raised on A reaches a client of B.
      const bobChat = bobClient.channel(`chat:${chatId}`, { config: { private: true } });
      const onB: { event: string; payload: Record<string, unknown> }[] = [];
      bobChat.on("broadcast", { event: "*" }, (m) =>
        onB.push({ event: m.event, payload: m.payload as Record<string, unknown> }),
      );
      expect((await subscribe(bobChat)).status).toBe("SUBSCRIBED");
      const sent = await (await callerFor(alice)).messages.send({ chatId, content: "across" });
      await until(() => onB.some((e) => e.event === "message.created"), "message on B");
      expect(onB.filter((e) => e.event === "message.created")).toEqual([
        {
          event: "message.created",
          payload: {
            chatId,
            messageId: sent.id,
            seq: sent.seq,
            senderId: alice.id,
            threadRootId: null,
          },
        },
      ]);

      // A client broadcast on B reaches a client of A.
      const aliceChat = (await clientOn(a, alice)).channel(`chat:${chatId}`, {
        config: { private: true },
      });
      const onA: Record<string, unknown>[] = [];
      aliceChat.on("broadcast", { event: "typing" }, (m) =>
        onA.push(m.payload as Record<string, unknown>),
      );
      expect((await subscribe(aliceChat)).status).toBe("SUBSCRIBED");
      await bobChat.send({ type: "broadcast", event: "typing", payload: {} });
      await until(() => onA.length === 1, "typing on A");
      expect(onA[0]).toEqual({ userId: bob.id, name: "Bob" });

      // Row changes are captured once and dispatched by whichever instance has subscribers.
      const changes: unknown[] = [];
      const rows = bobClient
        .channel(`user:${bob.id}`, { config: { private: true } })
        .on(
          "postgres_changes",
          { event: "INSERT", schema: "public", table: "messages", filter: `chatId=eq.${chatId}` },
          (c) => changes.push(c),
        );
      expect((await subscribe(rows)).status).toBe("SUBSCRIBED");
      await (await callerFor(alice)).messages.send({ chatId, content: "captured" });
      await until(() => changes.length === 1, "row change on B");

      // An instance that leaves takes its presence with it.
      await a.close();
      await until(() => !Object.keys(bobPresence.presenceState()).includes(alice.id), "alice gone");
    });

    it("closes a session's channels on an instance other than the one that ended it", async () => {
      const carol = await signUp("Carol");
      await (await callerFor(alice)).chats.addMembers({ chatId, userIds: [carol.id] });
      const channel = (await clientOn(b!, carol)).channel(`chat:${chatId}`, {
        config: { private: true },
      });
      const statuses: string[] = [];
      channel.subscribe((status) => statuses.push(status));
      await until(() => statuses.includes("SUBSCRIBED"), "carol on B");
      // Signed out through the test's own pool: B hears it from Postgres, not from a peer.
      await getAuth().api.signOut({ headers: carol.headers });
      await until(() => statuses.includes("CLOSED"), "carol's channel closed on B");
    });
  });
}
