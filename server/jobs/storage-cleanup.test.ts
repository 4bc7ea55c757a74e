import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import { deadLetters } from "@/db/schema";
import { LocalStorageDriver } from "@/server/storage/local";
import { useTestDatabase } from "@/test/database";
import {
  drainStorageDeletions,
  STORAGE_DELETION_MAX_ATTEMPTS,
  storageDeletionBackoffSeconds,
} from "./storage-cleanup";

const database = useTestDatabase();
const BUCKET = "message-attachments";

describe("draining the storage deletion outbox", () => {
  let root: string;
  let storage: LocalStorageDriver;
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "parley-cleanup-"));
    storage = new LocalStorageDriver(root, BUCKET);
  });
  afterAll(() => fs.rm(root, { recursive: true, force: true }));

  const file = (p: string) => path.join(root, BUCKET, p);
  async function put(p: string): Promise<void> {
    await fs.mkdir(path.dirname(file(p)), { recursive: true });
    await fs.writeFile(file(p), "x");
  }
  async function queue(...paths: string[]): Promise<void> {
    for (const p of paths) {
      await database.handle.db.execute(
        sql`insert into public.storage_deletions (bucket, path) values (${BUCKET}, ${p})`,
      );
    }
  }
  const queued = () =>
    queryRows<{ path: string; attempts: number; due: boolean; lastError: string | null }>(
      database.handle.db,
      sql`select path, attempts, "nextAttemptAt" <= now() as due, "lastError"
          from public.storage_deletions order by id`,
    );
  const exists = (p: string) =>
    fs.stat(file(p)).then(
      () => true,
      () => false,
    );

  it("removes the files behind an unsafe path and a failing one, and sets those two aside or back", async () => {
    await put("chats/a/1.png");
    await put("chats/a/2.png");
    // A directory where a file was expected: removing it fails every time.
    await fs.mkdir(file("chats/a/stuck.png/inner"), { recursive: true });
    await queue("chats/a/1.png", "../../outside", "chats/a/stuck.png", "chats/a/2.png");

    expect(await drainStorageDeletions(database.handle.db, storage)).toBe(2);
    expect(await exists("chats/a/1.png")).toBe(false);
    expect(await exists("chats/a/2.png")).toBe(false);
    // The failing file waits (not due again at once), with why.
    expect(await queued()).toEqual([
      {
        path: "chats/a/stuck.png",
        attempts: 1,
        due: false,
        lastError: expect.stringMatching(/EISDIR|ERR_FS|directory/) as unknown,
      },
    ]);
    // The unsafe path was never handed to the driver: set aside at once.
    const letters = await database.handle.db.select().from(deadLetters);
    expect(letters).toMatchObject([
      { queue: "storage_deletions", payload: { bucket: BUCKET, path: "../../outside" } },
    ]);

    // Later files are not held up by the one that keeps failing.
    await put("chats/a/3.png");
    await queue("chats/a/3.png");
    expect(await drainStorageDeletions(database.handle.db, storage)).toBe(1);
    expect(await exists("chats/a/3.png")).toBe(false);
  });

  it("gives up on a file after the last attempt, into dead_letters", async () => {
    await database.handle.db.execute(
      sql`update public.storage_deletions set attempts = ${STORAGE_DELETION_MAX_ATTEMPTS - 1},
          "nextAttemptAt" = now() where path = 'chats/a/stuck.png'`,
    );
    expect(await drainStorageDeletions(database.handle.db, storage)).toBe(0);
    expect(await queued()).toEqual([]);
    const letters = await database.handle.db.select().from(deadLetters);
    expect(letters.map((l) => [l.payload, l.attempts])).toContainEqual([
      { bucket: BUCKET, path: "chats/a/stuck.png" },
      STORAGE_DELETION_MAX_ATTEMPTS,
    ]);
  });

  it("waits longer before each attempt, up to six hours", () => {
    expect([1, 2, 3].map(storageDeletionBackoffSeconds)).toEqual([60, 120, 240]);
    expect(storageDeletionBackoffSeconds(30)).toBe(6 * 3600);
  });
});
