import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { sql } from "drizzle-orm";
import WebSocket from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import { projectJwtKey } from "@/server/project-jwt-key";
import { realtimeAnonKey } from "@/server/realtime/tokens";
import { useTestDatabase } from "@/test/database";
import {
  startRealtimeTestServer,
  subscribe,
  until,
  userToken,
  type RealtimeTestServer,
} from "@/test/realtime";
import { startRealtimeStandIn, type RealtimeStandIn } from "@/test/supabase-realtime-stand-in";
import { signUp, type TestUser } from "@/test/users";
import { ChannelRegistry, type ChannelHandle, type PresenceProfile } from "./channel-registry";
import { presenceTopic } from "./events";
import { NOT_YET_KNOWN, toOnline, type OnlineUsers } from "./online";

/**
 * The app's own presence code (ChannelRegistry tracking, `toOnline` reading) with the real
 * supabase-js client, against a stand-in that holds hosted Realtime's rules and against
 * Parley's gateway: both must show who is online, by name.
 */
const database = useTestDatabase();

let standIn: RealtimeStandIn;
let gateway: RealtimeTestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let outsider: TestUser;
let topic: string;

interface Tab {
  client: SupabaseClient;
  registry: ChannelRegistry;
  online: OnlineUsers;
  handle?: ChannelHandle;
  close(): Promise<void>;
}
const tabs: Tab[] = [];

/** One browser tab: its own client and registry, as browser-client.ts makes them. */
async function openTab(url: string, who: TestUser, self: PresenceProfile): Promise<Tab> {
  const { token } = await userToken(who);
  const client = createClient(url, await realtimeAnonKey(), {
    accessToken: () => Promise.resolve(token),
    realtime: { transport: WebSocket as never },
  });
  const registry = new ChannelRegistry(client, { self, releaseDelayMs: 0 });
  const tab: Tab = {
    client,
    registry,
    online: NOT_YET_KNOWN,
    close: async () => {
      await registry.closeAll();
      await client.realtime.disconnect();
    },
  };
  tab.handle = registry.acquire(
    topic,
    { onPresence: (state) => (tab.online = toOnline(state)) },
    { presence: true, track: true },
  );
  tabs.push(tab);
  return tab;
}

const profile = (who: TestUser): PresenceProfile => ({
  userId: who.id,
  name: who.name,
  image: `/api/avatars/${who.id}`,
});

const names = (online: OnlineUsers) => online.userIds.map((id) => online.byId[id]?.name);

beforeAll(async () => {
  alice = await signUp("Alice");
  bob = await signUp("Bob");
  carol = await signUp("Carol");
  outsider = await signUp("Olga", { workspace: "own" });
  topic = presenceTopic(alice.organizationId);
  standIn = await startRealtimeStandIn({
    jwtKey: projectJwtKey(),
    privateOnly: true,
    // The realtime.messages policies (drizzle/0006): realtime_can_join to read, and
    // realtime_can_send to write, asked as `authenticated` with the token's claims.
    authorize: async (claims, subTopic, extension) => {
      const [row] = await database.handle.transaction(
        sql`select set_config('role', 'authenticated', true),
          set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`,
        (tx) =>
          queryRows<{ read: boolean; write: boolean }>(
            tx,
            sql`select public.realtime_can_join(${subTopic}) as read,
              public.realtime_can_send(${subTopic}, ${extension}) as write`,
          ),
      );
      return { read: row?.read === true, write: row?.write === true };
    },
  });
  gateway = await startRealtimeTestServer(database.handle);
});

afterEach(async () => {
  await Promise.all(tabs.splice(0).map((tab) => tab.close()));
});

afterAll(async () => {
  await standIn?.close();
  await gateway?.close();
});

describe("who is online, on hosted Realtime (stand-in)", () => {
  it("shows each user once by name, however many tabs, until their last tab goes", async () => {
    const aliceFirst = await openTab(standIn.url, alice, profile(alice));
    const aliceSecond = await openTab(standIn.url, alice, profile(alice));
    const bobTab = await openTab(standIn.url, bob, profile(bob));

    const expected = [alice, bob].sort((a, b) => (a.id < b.id ? -1 : 1));
    await until(() => bobTab.online.userIds.length === 2, "bob sees alice and himself");
    expect(bobTab.online.userIds).toEqual(expected.map((u) => u.id));
    expect(names(bobTab.online)).toEqual(expected.map((u) => u.name));
    expect(bobTab.online.byId[alice.id]).toMatchObject({
      userId: alice.id,
      name: "Alice",
      image: `/api/avatars/${alice.id}`,
    });
    await until(() => aliceSecond.online.userIds.length === 2, "alice sees both too");

    // Hosted Realtime keeps what each tab tracked, under the key each tab joined with.
    await until(() => standIn.presence(topic)[alice.id]?.metas.length === 2, "two metas");
    expect(Object.keys(standIn.presence(topic)).sort()).toEqual(expected.map((u) => u.id));
    const ownJoins = standIn.joins.filter((j) => j.topic === `realtime:${topic}`);
    expect(ownJoins.length).toBe(3);
    for (const join of ownJoins) {
      expect(join).toMatchObject({ outcome: "ok", config: { private: true } });
    }
    expect(ownJoins.map((j) => (j.config.presence as { key: string }).key).sort()).toEqual(
      [alice.id, alice.id, bob.id].sort(),
    );

    // One of Alice's tabs closes: she is still online, from the other.
    await aliceFirst.close();
    await until(() => standIn.presence(topic)[alice.id]?.metas.length === 1, "one meta left");
    expect(bobTab.online.userIds).toContain(alice.id);
    await aliceSecond.close();
    await until(() => !bobTab.online.userIds.includes(alice.id), "alice gone");
    expect(bobTab.online.userIds).toEqual([bob.id]);
  });

  it("shows a new name once the user changes it", async () => {
    const aliceTab = await openTab(standIn.url, alice, profile(alice));
    const bobTab = await openTab(standIn.url, bob, profile(bob));
    await until(() => bobTab.online.byId[alice.id]?.name === "Alice", "alice by name");
    aliceTab.registry.setSelf({ ...profile(alice), name: "Alice Liddell" });
    await until(() => bobTab.online.byId[alice.id]?.name === "Alice Liddell", "the new name");
    expect(standIn.presence(topic)[alice.id]?.metas).toHaveLength(1);
  });

  it("holds hosted Realtime's rules: random keys, metas as tracked, private channels only", async () => {
    const { token } = await userToken(carol);
    const client = createClient(standIn.url, await realtimeAnonKey(), {
      accessToken: () => Promise.resolve(token),
      realtime: { transport: WebSocket as never },
    });
    try {
      await client.realtime.setAuth();
      const publicChannel = client.channel(topic, { config: { presence: { enabled: true } } });
      const refused = await subscribe(publicChannel);
      expect(refused.status).toBe("CHANNEL_ERROR");
      expect(refused.error?.message).toMatch(/^PrivateOnly/);
      await client.removeChannel(publicChannel);

      // What a client that joins with an empty key and tracks nothing leaves behind: no one
      // the online list can name.
      const bare = client.channel(topic, {
        config: { private: true, presence: { enabled: true, key: "" } },
      });
      expect((await subscribe(bare)).status).toBe("SUBSCRIBED");
      expect(await bare.track({})).toBe("ok");
      await until(() => Object.keys(bare.presenceState()).length === 1, "the bare presence");
      const [key] = Object.keys(bare.presenceState());
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(key).not.toBe(carol.id);
      // Nothing but the ref the server gave it: the server adds nothing to a meta.
      expect(Object.keys(bare.presenceState()[key!]?.[0] ?? {})).toEqual(["presence_ref"]);
      expect(toOnline(bare.presenceState()).userIds).toEqual([]);
    } finally {
      await client.removeAllChannels();
      await client.realtime.disconnect();
    }

    // Someone outside the workspace may not read its presence.
    const { token: outsiderToken } = await userToken(outsider);
    const other = createClient(standIn.url, await realtimeAnonKey(), {
      accessToken: () => Promise.resolve(outsiderToken),
      realtime: { transport: WebSocket as never },
    });
    try {
      await other.realtime.setAuth();
      const denied = await subscribe(
        other.channel(topic, { config: { private: true, presence: { enabled: true } } }),
      );
      expect(denied.status).toBe("CHANNEL_ERROR");
      expect(denied.error?.message).toMatch(/^Unauthorized/);
    } finally {
      await other.removeAllChannels();
      await other.realtime.disconnect();
    }
  });
});

describe("who is online, on Parley's gateway", () => {
  it("shows the token's user by their own name, whatever key and meta the client sends", async () => {
    // Alice's tab claims to be Carol: the gateway keys and fills presence from the token.
    await openTab(gateway.url, alice, { userId: carol.id, name: "Carol", image: null });
    const bobTab = await openTab(gateway.url, bob, profile(bob));
    const expected = [alice, bob].sort((a, b) => (a.id < b.id ? -1 : 1));
    await until(() => bobTab.online.userIds.length === 2, "bob sees two");
    expect(bobTab.online.userIds).toEqual(expected.map((u) => u.id));
    expect(names(bobTab.online)).toEqual(expected.map((u) => u.name));
    expect(bobTab.online.byId[carol.id]).toBeUndefined();
  });
});
