import { execFileSync } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { queryRows } from "@/db/rows";
import { iceServersFor } from "@/server/calls/ice-servers";
import { env } from "@/server/env";
import { expireCalls } from "@/server/jobs/expire-calls";
import type { DomainEvent } from "@/server/realtime/events";
import { subscribe } from "@/server/realtime/publisher";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

useTestDatabase();

/** The chat's event lines about calls, oldest first. */
async function callLines(chatId: string) {
  return (
    await queryRows<{ kind: string; durationSeconds: number | null }>(
      getDb(),
      sql`select metadata->>'kind' as kind, (metadata->>'durationSeconds')::int as "durationSeconds"
          from public.messages where "chatId" = ${chatId}::uuid and type = 'system'
            and metadata->>'callId' is not null
          order by seq`,
    )
  ).map((l) => l.kind);
}

/** Moves a call's clock back, as if its rings and heartbeats were `seconds` old. */
async function age(callId: string, seconds: number) {
  await getDb().execute(
    sql`update public.call_participants
        set "invitedAt" = "invitedAt" - make_interval(secs => ${seconds}),
            "lastSeenAt" = "lastSeenAt" - make_interval(secs => ${seconds})
        where "callId" = ${callId}::uuid`,
  );
}

describe("calls", () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let mallory: TestUser;
  let directId: string;
  let groupId: string;
  const seen: DomainEvent[] = [];
  const stop = subscribe((event) => seen.push(event));
  afterAll(stop);

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    carol = await signUp("Carol");
    mallory = await signUp("Mallory");
    const asAlice = await callerFor(alice);
    directId = (await asAlice.chats.createDirect({ userId: bob.id })).id;
    groupId = (await asAlice.chats.createGroup({ name: "Standup", memberIds: [bob.id, carol.id] }))
      .id;
  });

  it("rings the other person, connects when they answer and ends with its duration when one leaves", async () => {
    const asAlice = await callerFor(alice);
    const asBob = await callerFor(bob);
    seen.length = 0;
    const started = await asAlice.calls.start({ chatId: directId, kind: "video" });
    expect(started).toMatchObject({
      chatId: directId,
      chatTitle: "Bob",
      kind: "video",
      status: "ringing",
      initiator: { id: alice.id, name: "Alice" },
      maxParticipants: env.calls.maxParticipants,
      startedAt: null,
    });
    expect(started.participants.map((p) => [p.user.name, p.status, p.videoOn])).toEqual([
      ["Alice", "joined", true],
      ["Bob", "ringing", false],
    ]);
    // Both hear of it on their own topics; the chat gets its event line.
    const changed = seen.filter((e) => e.type === "call.changed");
    expect(changed).toEqual([
      {
        type: "call.changed",
        chatId: directId,
        callId: started.id,
        memberIds: expect.arrayContaining([alice.id, bob.id]) as unknown,
      },
    ]);
    expect(seen.some((e) => e.type === "message.created" && e.chatId === directId)).toBe(true);

    const ringing = await asBob.calls.mine();
    expect(ringing.incoming.map((c) => [c.id, c.chatTitle])).toEqual([[started.id, "Alice"]]);
    expect(ringing.joined).toBeNull();
    expect((await asBob.calls.inChat({ chatId: directId }))?.id).toBe(started.id);

    const answered = await asBob.calls.join({ callId: started.id });
    expect(answered.status).toBe("active");
    expect(answered.startedAt).toBeInstanceOf(Date);
    expect((await asBob.calls.mine()).joined?.id).toBe(started.id);
    expect((await asBob.calls.mine()).incoming).toEqual([]);

    expect(await asAlice.calls.leave({ callId: started.id })).toEqual({ status: "ended" });
    const ended = await asBob.calls.get({ callId: started.id });
    expect(ended).toMatchObject({
      status: "ended",
      durationSeconds: expect.any(Number) as unknown,
    });
    expect(ended.participants.map((p) => p.status)).toEqual(["left", "left"]);
    expect(await asBob.calls.inChat({ chatId: directId })).toBeNull();
    expect(await callLines(directId)).toEqual(["call_started", "call_ended"]);
    // Leaving an ended call, or answering it, says so.
    expect(await codeOf(asBob.calls.join({ callId: started.id }))).toBe("BAD_REQUEST");
    expect(await asBob.calls.leave({ callId: started.id })).toEqual({ status: "ended" });
    const history = await asBob.calls.history({ chatId: directId });
    expect(history.items.map((c) => c.id)).toContain(started.id);
  });

  it("is declined when everyone called declines, and missed when the caller hangs up first", async () => {
    const asAlice = await callerFor(alice);
    const unread = async (who: TestUser) =>
      (await (await callerFor(who)).chats.list({})).items.find((c) => c.id === directId)!
        .unreadCount;
    const { lastSeq } = await asAlice.chats.get({ chatId: directId });
    await (await callerFor(bob)).chats.markRead({ chatId: directId, seq: lastSeq });
    await asAlice.chats.markRead({ chatId: directId, seq: lastSeq });
    const declined = await asAlice.calls.start({ chatId: directId, kind: "audio" });
    expect(await (await callerFor(bob)).calls.decline({ callId: declined.id })).toEqual({
      status: "declined",
    });
    const cancelled = await asAlice.calls.start({ chatId: directId, kind: "audio" });
    expect(await asAlice.calls.leave({ callId: cancelled.id })).toEqual({ status: "missed" });
    const missed = await (await callerFor(bob)).calls.get({ callId: cancelled.id });
    expect(missed.participants.map((p) => [p.user.name, p.status])).toEqual([
      ["Alice", "left"],
      ["Bob", "missed"],
    ]);
    // The missed call is unread for Bob, whom it missed, and not for Alice, who called; a
    // declined call is no news to anyone.
    expect(await unread(bob)).toBe(1);
    expect(await unread(alice)).toBe(0);
    expect((await callLines(directId)).slice(-4)).toEqual([
      "call_started",
      "call_declined",
      "call_started",
      "call_missed",
    ]);
    // Declining a call one is not rung for is refused.
    expect(await codeOf(asAlice.calls.decline({ callId: cancelled.id }))).toBe("BAD_REQUEST");
  });

  it("keeps one live call per chat, and lets a member who was not rung join it", async () => {
    const asAlice = await callerFor(alice);
    const live = await asAlice.calls.start({ chatId: groupId, kind: "audio" });
    expect(
      await codeOf((await callerFor(bob)).calls.start({ chatId: groupId, kind: "video" })),
    ).toBe("CONFLICT");
    await (await callerFor(bob)).calls.join({ callId: live.id });
    await (await callerFor(carol)).calls.decline({ callId: live.id });
    // Carol changes her mind: a live call can be joined after declining.
    const joined = await (await callerFor(carol)).calls.join({ callId: live.id });
    expect(joined.participants.filter((p) => p.status === "joined")).toHaveLength(3);
    await asAlice.calls.leave({ callId: live.id });
    expect((await asAlice.calls.get({ callId: live.id })).status).toBe("active");
    await (await callerFor(bob)).calls.leave({ callId: live.id });
    expect((await asAlice.calls.get({ callId: live.id })).status).toBe("ended");
  });

  it("takes whoever leaves the chat, or is removed from it, out of its call", async () => {
    const asAlice = await callerFor(alice);
    const people = [
      alice,
      await signUp("Dora"),
      await signUp("Eli"),
      await signUp("Finn"),
    ] as const;
    const team = await asAlice.chats.createGroup({
      name: "Crew",
      memberIds: people.slice(1).map((p) => p.id),
    });
    const live = await asAlice.calls.start({ chatId: team.id, kind: "audio" });
    for (const person of people.slice(1)) {
      await (await callerFor(person)).calls.join({ callId: live.id });
    }
    seen.length = 0;
    await asAlice.chats.removeMember({ chatId: team.id, userId: people[1].id });
    await (await callerFor(people[2])).chats.leave({ chatId: team.id });
    const changed = seen.filter((e) => e.type === "call.changed");
    expect(changed).toHaveLength(2);
    // Eli, who left, still heard of the change to the call he was in.
    expect(changed[1]).toMatchObject({
      memberIds: expect.arrayContaining([people[2].id]) as unknown,
    });
    const after = await asAlice.calls.get({ callId: live.id });
    expect(after.status).toBe("active");
    expect(after.participants.map((p) => [p.user.name, p.status])).toEqual([
      ["Alice", "joined"],
      ["Dora", "left"],
      ["Eli", "left"],
      ["Finn", "joined"],
    ]);
    // Finn removed too: Alice is alone, and the call is over.
    await asAlice.chats.removeMember({ chatId: team.id, userId: people[3].id });
    expect((await asAlice.calls.get({ callId: live.id })).status).toBe("ended");
    expect((await callLines(team.id)).at(-1)).toBe("call_ended");
  });

  it("shows a non-member nothing and lets them do nothing", async () => {
    const asAlice = await callerFor(alice);
    const live = await asAlice.calls.start({ chatId: directId, kind: "audio" });
    const asMallory = await callerFor(mallory);
    expect(await codeOf(asMallory.calls.get({ callId: live.id }))).toBe("NOT_FOUND");
    expect(await codeOf(asMallory.calls.join({ callId: live.id }))).toBe("NOT_FOUND");
    expect(await codeOf(asMallory.calls.decline({ callId: live.id }))).toBe("NOT_FOUND");
    expect(await codeOf(asMallory.calls.leave({ callId: live.id }))).toBe("NOT_FOUND");
    expect(
      await codeOf(
        asMallory.calls.heartbeat({
          callId: live.id,
          audioOn: true,
          videoOn: false,
          screenOn: false,
          connectionState: "connected",
        }),
      ),
    ).toBe("NOT_FOUND");
    expect(await codeOf(asMallory.calls.start({ chatId: directId, kind: "audio" }))).toBe(
      "NOT_FOUND",
    );
    expect(await asMallory.calls.inChat({ chatId: directId })).toBeNull();
    expect(await asMallory.calls.mine()).toEqual({ incoming: [], joined: null });
    expect((await asMallory.calls.history({ chatId: directId })).items).toEqual([]);
    await asAlice.calls.leave({ callId: live.id });
  });

  it("tells the others when a participant's devices change, and not on every heartbeat", async () => {
    const asAlice = await callerFor(alice);
    const live = await asAlice.calls.start({ chatId: directId, kind: "video" });
    const beat = (audioOn: boolean) =>
      asAlice.calls.heartbeat({
        callId: live.id,
        audioOn,
        videoOn: true,
        screenOn: false,
        connectionState: "connecting",
      });
    await beat(true);
    seen.length = 0;
    await beat(true);
    expect(seen).toEqual([]);
    await beat(false);
    expect(seen.map((e) => e.type)).toEqual(["call.changed"]);
    const state = await (await callerFor(bob)).calls.get({ callId: live.id });
    expect(state.participants[0]).toMatchObject({ audioOn: false, connectionState: "connecting" });
    // Someone not in the call (Bob is only rung) has no heartbeat to give.
    expect(
      await codeOf(
        (await callerFor(bob)).calls.heartbeat({
          callId: live.id,
          audioOn: true,
          videoOn: false,
          screenOn: false,
          connectionState: "new",
        }),
      ),
    ).toBe("BAD_REQUEST");
    await asAlice.calls.leave({ callId: live.id });
  });

  it("ends rings nobody answers and takes out browsers gone silent (the expiry job)", async () => {
    const asAlice = await callerFor(alice);
    const config = { ringSeconds: 45, heartbeatTimeoutSeconds: 30 };
    const unanswered = await asAlice.calls.start({ chatId: directId, kind: "audio" });
    expect(await expireCalls(getDb(), config)).toBe(0);
    await age(unanswered.id, 60);
    seen.length = 0;
    expect(await expireCalls(getDb(), config)).toBe(1);
    expect((await asAlice.calls.get({ callId: unanswered.id })).status).toBe("missed");
    expect(seen.map((e) => e.type).sort()).toEqual(["call.changed", "message.created"]);
    expect((await callLines(directId)).at(-1)).toBe("call_missed");

    const abandoned = await asAlice.calls.start({ chatId: directId, kind: "audio" });
    await (await callerFor(bob)).calls.join({ callId: abandoned.id });
    await age(abandoned.id, 40);
    expect(await expireCalls(getDb(), config)).toBe(1);
    const ended = await asAlice.calls.get({ callId: abandoned.id });
    expect(ended.status).toBe("ended");
    expect(ended.participants.map((p) => p.status)).toEqual(["left", "left"]);
    expect((await callLines(directId)).at(-1)).toBe("call_ended");
  });

  it("refuses a participant past the call's limit with a clear message", async () => {
    const extra = await Promise.all(
      Array.from({ length: env.calls.maxParticipants }, (_, i) => signUp(`Guest${i}`)),
    );
    const asAlice = await callerFor(alice);
    const big = await asAlice.chats.createGroup({
      name: "All hands",
      memberIds: extra.map((p) => p.id),
    });
    const live = await asAlice.calls.start({ chatId: big.id, kind: "audio" });
    for (const person of extra.slice(0, env.calls.maxParticipants - 1)) {
      await (await callerFor(person)).calls.join({ callId: live.id });
    }
    const last = extra.at(-1)!;
    const refused = (await callerFor(last)).calls.join({ callId: live.id });
    await expect(refused).rejects.toThrow(
      `This call is full: a call has at most ${env.calls.maxParticipants} people`,
    );
    expect(await codeOf((await callerFor(last)).calls.join({ callId: live.id }))).toBe(
      "UNPROCESSABLE_CONTENT",
    );
  });

  it("refuses a role without chat.initiate_call to start one", async () => {
    await getDb().execute(
      sql`insert into public.organization_role ("organizationId", role, permission)
          values (${carol.organizationId}::uuid, 'listener', '{"chat":["view"]}')
          on conflict do nothing`,
    );
    await getDb().execute(
      sql`update public.member set role = 'listener'
          where "userId" = ${carol.id}::uuid and "organizationId" = ${carol.organizationId}::uuid`,
    );
    expect(
      await codeOf((await callerFor(carol)).calls.start({ chatId: groupId, kind: "audio" })),
    ).toBe("FORBIDDEN");
    await getDb().execute(
      sql`update public.member set role = 'member'
          where "userId" = ${carol.id}::uuid and "organizationId" = ${carol.organizationId}::uuid`,
    );
  });
});

describe("ICE servers", () => {
  const base = { ...env.calls, iceServers: [], stunUrls: [], turn: undefined };

  it("gives STUN and TURN as configured, with TURN credentials coturn's use-auth-secret accepts", () => {
    const now = Date.UTC(2026, 11, 7, 12, 0, 0);
    const servers = iceServersFor(
      "11111111-1111-4111-8111-111111111111",
      {
        ...base,
        stunUrls: ["stun:turn.example.test:3478"],
        turn: {
          urls: ["turn:turn.example.test:3478?transport=udp"],
          secret: "a-shared-secret-of-some-length",
          ttlSeconds: 3600,
        },
      },
      now,
    );
    const expires = now / 1000 + 3600;
    const username = `${expires}:11111111-1111-4111-8111-111111111111`;
    // The credential as coturn computes it: base64 of HMAC-SHA1(secret, username), here by
    // openssl rather than Node's crypto.
    const credential = execFileSync(
      "sh",
      [
        "-c",
        `printf '%s' "$1" | openssl dgst -sha1 -hmac "$2" -binary | base64`,
        "sh",
        username,
        "a-shared-secret-of-some-length",
      ],
      { encoding: "utf8" },
    ).trim();
    expect(servers).toEqual({
      iceServers: [
        { urls: ["stun:turn.example.test:3478"] },
        { urls: ["turn:turn.example.test:3478?transport=udp"], username, credential },
      ],
      ttlSeconds: 3600,
    });
  });

  it("gives the configured list as it is, and nothing without configuration", () => {
    expect(iceServersFor("u", base)).toEqual({ iceServers: [], ttlSeconds: null });
    expect(
      iceServersFor("u", {
        ...base,
        iceServers: [{ urls: "stun:a.example.test", username: "x", credential: "y" }],
      }),
    ).toEqual({
      iceServers: [{ urls: ["stun:a.example.test"], username: "x", credential: "y" }],
      ttlSeconds: null,
    });
  });
});
