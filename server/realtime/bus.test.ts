import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { openAlike, useTestDatabase } from "@/test/database";
import { describeWhere, withoutServerPostgres } from "@/test/requirements";
import { PostgresBus, type BusMessage } from "./bus";

/** The relay between gateway instances: LISTEN/NOTIFY on one server Postgres. */
describeWhere(withoutServerPostgres(), "PostgresBus", () => {
  const database = useTestDatabase("postgres");
  let handleA: DatabaseHandle;
  let handleB: DatabaseHandle;
  let a: PostgresBus;
  let b: PostgresBus;

  beforeAll(async () => {
    handleA = openAlike(database.handle, { max: 2 });
    handleB = openAlike(database.handle, { max: 2 });
    a = new PostgresBus(handleA, (error) => {
      throw error;
    });
    b = new PostgresBus(handleB, (error) => {
      throw error;
    });
    await Promise.all([a.start(), b.start()]);
  });

  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await Promise.all([handleA.close(), handleB.close()]);
  });

  const broadcast = (i: number, size = 10): BusMessage => ({
    kind: "broadcast",
    topic: "chat:test",
    event: "n",
    payload: { i, text: "x".repeat(size) },
    binary: false,
  });
  const received = (messages: BusMessage[]) =>
    messages.map((m) => (m.kind === "broadcast" ? (m.payload as { i: number }).i : -1));

  it("delivers a burst in order, in fewer notifications than messages", async () => {
    const onA: BusMessage[] = [];
    const onB: BusMessage[] = [];
    a.setHandler((m) => onA.push(m));
    b.setHandler((m, from) => from === a.instanceId && onB.push(m));
    const execute = vi.spyOn(handleA.db, "execute");
    for (let i = 0; i < 50; i++) a.publish(broadcast(i));
    expect(received(onA)).toEqual([...Array(50).keys()]); // locally, at once
    await vi.waitFor(() => expect(onB).toHaveLength(50), { timeout: 5_000 });
    expect(received(onB)).toEqual([...Array(50).keys()]);
    expect(execute.mock.calls.length).toBeGreaterThan(0);
    expect(execute.mock.calls.length).toBeLessThan(50);
    execute.mockRestore();
  });

  it("sends a batch too large to notify through the outbox", async () => {
    const onB: BusMessage[] = [];
    b.setHandler((m, from) => from === a.instanceId && onB.push(m));
    for (let i = 0; i < 5; i++) a.publish(broadcast(i, 3_000));
    await vi.waitFor(() => expect(onB).toHaveLength(5), { timeout: 5_000 });
    expect(received(onB)).toEqual([0, 1, 2, 3, 4]);
  });
});
