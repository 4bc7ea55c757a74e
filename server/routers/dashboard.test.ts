import { beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/server/audit/buffer";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();

describe("dashboard.summary", () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let admin: TestUser;
  let aliceBobChat: string;

  const request = (who: TestUser, statusCode: number, method = "GET") =>
    recordAudit({
      apiKeyId: null,
      userId: who.id,
      actorId: who.id,
      endpoint: "/api/v1/me",
      method,
      statusCode,
      responseTime: 4,
      ipAddress: null,
      userAgent: "vitest",
      details: null,
    });

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    carol = await signUp("Carol");
    admin = await signUp("Admin", { role: "admin" });
    aliceBobChat = (await (await callerFor(alice)).chats.createDirect({ userId: bob.id })).id;
    await (await callerFor(bob)).messages.send({ chatId: aliceBobChat, content: "Hi   Alice!" });
    await (await callerFor(alice)).messages.send({ chatId: aliceBobChat, content: "Hello Bob" });
    const bobCarol = await (
      await callerFor(bob)
    ).chats.createGroup({
      name: "Secret plans",
      memberIds: [carol.id],
    });
    await (await callerFor(carol)).messages.send({ chatId: bobCarol.id, content: "not for Alice" });
    await (await callerFor(admin)).chats.createDirect({ userId: carol.id });

    await (await callerFor(alice)).apiKeys.create({ name: "alice-cli", scopes: ["profile:read"] });
    await (await callerFor(bob)).apiKeys.create({ name: "bob-cli", scopes: ["profile:read"] });
    request(alice, 200);
    request(alice, 200);
    request(alice, 200);
    request(alice, 429);
    request(bob, 500);
    await createAuditFlusher(database.handle.db).flush();
  });

  it("shows my chats, my requests and my key events", async () => {
    const summary = await (await callerFor(alice)).dashboard.summary();
    expect(summary.chats).toBe(1);
    expect(summary.requests).toEqual({ last7Days: 4, errors7Days: 1, errorRate: 0.25 });
    expect(summary.days).toHaveLength(14);
    expect(summary.days.at(-1)).toMatchObject({ success: 3, clientErrors: 1, serverErrors: 0 });
    expect(summary.days.slice(0, -1).every((d) => d.success + d.clientErrors === 0)).toBe(true);
    expect(summary.recentMessages.map((m) => [m.senderName, m.chatTitle, m.preview])).toEqual([
      ["You", "Bob", "Hello Bob"],
      ["Bob", "Bob", "Hi Alice!"],
    ]);
    expect(summary.recentMessages[0]?.chatId).toBe(aliceBobChat);
    expect(summary.keyEvents).toEqual([
      expect.objectContaining({ action: "api_key.created", keyName: "alice-cli", byAdmin: false }),
    ]);
  });

  it("never shows other people's chats or requests, not even to an admin", async () => {
    const asAlice = JSON.stringify(await (await callerFor(alice)).dashboard.summary());
    expect(asAlice).not.toContain("Secret plans");
    expect(asAlice).not.toContain("not for Alice");
    expect(asAlice).not.toContain("bob-cli");

    const asAdmin = await (await callerFor(admin)).dashboard.summary();
    expect(asAdmin.chats).toBe(1);
    expect(asAdmin.recentMessages).toEqual([]);
    expect(asAdmin.requests).toEqual({ last7Days: 0, errors7Days: 0, errorRate: null });
    expect(asAdmin.keyEvents).toEqual([]);
  });

  it("is empty for a new user, and closed to the signed-out", async () => {
    const newcomer = await signUp("Newcomer");
    const summary = await (await callerFor(newcomer)).dashboard.summary();
    expect(summary).toMatchObject({
      chats: 0,
      recentMessages: [],
      keyEvents: [],
      requests: { last7Days: 0, errorRate: null },
    });
    expect(summary.days.every((d) => d.success + d.clientErrors + d.serverErrors === 0)).toBe(true);
    expect(await codeOf((await callerFor(null)).dashboard.summary())).toBe("UNAUTHORIZED");
  });
});
