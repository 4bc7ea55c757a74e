import type { SupabaseClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import {
  rawSocket,
  realtimeClient,
  startRealtimeTestServer,
  subscribe,
  until,
  userToken,
  type RealtimeTestServer,
} from "@/test/realtime";
import { signUp, type TestUser } from "@/test/users";
import { presenceTopic } from "@/lib/realtime/events";

const database = useTestDatabase();

/**
 * Presence grows with the number of sockets, not its square: a user's tabs are one presence,
 * and what changes in an interval goes out as one diff per topic.
 */
let server: RealtimeTestServer;
let observerUser: TestUser;
const clients: SupabaseClient[] = [];
const PRESENCE = { config: { private: true, presence: { enabled: true } } };

beforeAll(async () => {
  server = await startRealtimeTestServer(database.handle, { limits: { presenceFlushMs: 400 } });
  observerUser = await signUp("Observer");
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.removeAllChannels()));
  await server.close();
});

/** A raw socket on the workspace's presence topic that records every frame it is sent. */
async function observer() {
  const socket = await rawSocket(server.url);
  socket.send([
    "1",
    "1",
    `realtime:${presenceTopic(observerUser.organizationId)}`,
    "phx_join",
    {
      config: { private: true, presence: { enabled: true } },
      access_token: (await userToken(observerUser)).token,
    },
  ]);
  await until(() => socket.arrays().some((f) => f[3] === "presence_state"), "observer joined");
  type Diff = { joins: Record<string, { metas: unknown[] }>; leaves: Record<string, unknown> };
  return {
    diffs: () =>
      socket
        .arrays()
        .filter((f) => f[3] === "presence_diff")
        .map((f) => f[4] as Diff),
    close: () => void socket.close(),
  };
}

async function tab(who: TestUser) {
  const client = await realtimeClient(server.url, { token: (await userToken(who)).token });
  clients.push(client);
  const channel = client.channel(presenceTopic(who.organizationId), PRESENCE);
  expect((await subscribe(channel)).status).toBe("SUBSCRIBED");
  return { client, channel };
}

describe("presence at scale", () => {
  it("shows a user with many tabs once, until their last tab goes", async () => {
    const watcher = await observer();
    const many = await signUp("Manytabs");
    const tabs = await Promise.all(Array.from({ length: 6 }, () => tab(many)));
    await Promise.all(tabs.map((t) => t.channel.track({})));
    await until(() => watcher.diffs().length >= 1, "the join diff");
    // Let every later track's interval pass: none of them is news.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(watcher.diffs()).toHaveLength(1);
    expect(Object.keys(watcher.diffs()[0]!.joins)).toEqual([many.id]);
    expect(watcher.diffs()[0]!.joins[many.id]!.metas).toHaveLength(1);
    const state = tabs[0]!.channel.presenceState();
    expect(state[many.id]).toHaveLength(1);

    for (const t of tabs.slice(0, 5)) await t.client.removeAllChannels();
    await new Promise((resolve) => setTimeout(resolve, 900));
    // Still online: at most a swap of the entry that stands for them, never a leave alone.
    for (const diff of watcher.diffs().slice(1)) expect(Object.keys(diff.joins)).toContain(many.id);
    await tabs[5]!.client.removeAllChannels();
    await until(
      () => watcher.diffs().some((d) => many.id in d.leaves && !(many.id in d.joins)),
      "the last tab's leave",
    );
    watcher.close();
  });

  it("tells many users tracking at once in a few diffs, not one per track", async () => {
    const watcher = await observer();
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => signUp(`Crowd${i}`)));
    const tabs = await Promise.all(users.map((u) => tab(u)));
    await Promise.all(tabs.map((t) => t.channel.track({})));
    await until(() => {
      const joined = new Set(watcher.diffs().flatMap((d) => Object.keys(d.joins)));
      return users.every((u) => joined.has(u.id));
    }, "every user joined");
    expect(watcher.diffs().length).toBeLessThan(users.length / 2);
    watcher.close();
  });
});
