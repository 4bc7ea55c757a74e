import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import { messageAttachments } from "@/db/schema";
import {
  drainStorageDeletions,
  purgeDeletedGroupFiles,
  purgeUnboundUploads,
} from "@/server/jobs/storage-cleanup";
import { env } from "@/server/env";
import { useTestDatabase } from "@/test/database";
import { pngClaiming } from "@/test/images";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { setStorage } from "@/server/storage";
import { ATTACHMENT_BUCKET } from "@/server/storage/driver";
import { LocalStorageDriver } from "@/server/storage/local";
import { attachmentPath } from "@/server/storage/paths";
import { serveSignedObject } from "./storage-objects";
import { signObjectToken } from "@/server/storage/signed-url";
import { uploadAttachment } from "./uploads";

const database = useTestDatabase();
let root: string;
let storage: LocalStorageDriver;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;
let chatId: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "parley-storage-"));
  storage = new LocalStorageDriver(root, ATTACHMENT_BUCKET);
  setStorage(storage);
  alice = await signUp("Alice");
  bob = await signUp("Bob");
  mallory = await signUp("Mallory");
  chatId = (
    await (await callerFor(alice)).chats.createGroup({ name: "Files", memberIds: [bob.id] })
  ).id;
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function upload(
  who: TestUser | null,
  bytes: Uint8Array,
  name: string,
  type = "application/octet-stream",
  chat = chatId,
) {
  const form = new FormData();
  form.append("file", new Blob([Buffer.from(bytes)], { type }), name);
  return uploadAttachment(
    new Request(`http://localhost/api/chats/${chat}/attachments`, {
      method: "POST",
      body: form,
      headers: who ? who.headers : {},
    }),
    chat,
  );
}

async function filesOnDisk(): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else found.push(path.relative(root, full));
    }
  };
  await walk(root);
  return found.sort();
}

async function storagePathOf(attachmentId: string): Promise<string> {
  const [row] = await queryRows<{ storagePath: string }>(
    database.handle.db,
    sql`select "storagePath" from public.message_attachments where id = ${attachmentId}::uuid`,
  );
  return row?.storagePath ?? "";
}

const get = (url: string, headers: Record<string, string> = {}) => {
  const parsed = new URL(url, "http://localhost");
  const segments = parsed.pathname.split("/").slice(6).map(decodeURIComponent);
  return serveSignedObject(new Request(parsed, { headers }), ATTACHMENT_BUCKET, segments);
};

const png = () =>
  sharp({ create: { width: 1200, height: 600, channels: 3, background: "#3366ff" } })
    .png()
    .toBuffer();

describe("attachment upload and download", () => {
  it("stores an image without its EXIF, with a thumbnail, and serves it to members by signed URL", async () => {
    const jpeg = await sharp({
      create: { width: 800, height: 400, channels: 3, background: "red" },
    })
      .jpeg()
      .withExif({ IFD0: { Copyright: "secret place" }, IFD3: { GPSLatitudeRef: "N" } })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const response = await upload(alice, jpeg, "holiday.JPG", "image/jpeg");
    expect(response.status).toBe(201);
    const attachment = (await response.json()) as { id: string; width: number; mimeType: string };
    expect(attachment).toMatchObject({
      mimeType: "image/jpeg",
      width: 800,
      height: 400,
      fileName: "holiday.JPG",
    });

    const asAlice = await callerFor(alice);
    const sent = await asAlice.messages.send({
      chatId,
      content: "",
      attachmentIds: [attachment.id],
    });
    expect(sent.type).toBe("image");
    const page = await (await callerFor(bob)).messages.list({ chatId });
    const view = page.messages.find((m) => m.id === sent.id)?.attachments[0];
    expect(view?.url).toMatch(/^\/storage\/v1\/object\/sign\/message-attachments\/chats\//);
    expect(view?.thumbnailUrl).toMatch(/_thumb\.webp\?token=/);

    const served = await get(view?.url ?? "");
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-security-policy")).toContain("sandbox");
    expect(served.headers.get("content-disposition")).toMatch(/^inline/);
    const stored = Buffer.from(await served.arrayBuffer());
    expect((await sharp(stored).metadata()).exif).toBeUndefined();

    const thumb = await get(view?.thumbnailUrl ?? "");
    const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(thumbMeta.format).toBe("webp");
    expect(Math.max(thumbMeta.width ?? 0, thumbMeta.height ?? 0)).toBeLessThanOrEqual(480);

    const ranged = await get(view?.url ?? "", { range: "bytes=0-9" });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(10);

    // Soft delete: the file stops being served at once and leaves with the cleanup job.
    await asAlice.messages.delete({ messageId: sent.id });
    expect((await get(view?.url ?? "")).status).toBe(404);
    expect(await drainStorageDeletions(database.handle.db, storage)).toBe(2);
    expect((await filesOnDisk()).filter((f) => f.includes(sent.chatId))).toEqual([]);
  });

  it("refuses non-members, strangers and anonymous callers", async () => {
    const bytes = await png();
    expect((await upload(mallory, bytes, "a.png", "image/png")).status).toBe(404);
    expect((await upload(null, bytes, "a.png", "image/png")).status).toBe(401);
    expect((await upload(alice, bytes, "a.png", "image/png", "not-a-uuid")).status).toBe(404);
  });

  it("decides the type from the bytes: an executable named .png and an SVG are refused", async () => {
    const before = await filesOnDisk();
    const exe = Buffer.concat([
      Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1"),
      Buffer.alloc(512),
    ]);
    const refused = await upload(alice, exe, "cat.png", "image/png");
    expect(refused.status).toBe(415);
    expect(await refused.json()).toMatchObject({ error: { code: "UNSUPPORTED_MEDIA_TYPE" } });
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    expect((await upload(alice, svg, "logo.svg", "image/svg+xml")).status).toBe(415);
    expect((await upload(alice, svg, "notes.txt", "text/plain")).status).toBe(415);
    expect(await filesOnDisk()).toEqual(before);
  });

  it("keeps a hostile filename harmless and serves documents as downloads", async () => {
    const before = await filesOnDisk();
    // A NUL in the part header is malformed multipart: refused whole, nothing kept.
    const withNul = await upload(alice, Buffer.from("a,b\n"), "pass\0wd.csv", "text/csv");
    expect(withNul.status).toBe(400);
    expect(await filesOnDisk()).toEqual(before);
    const response = await upload(
      alice,
      Buffer.from("a,b\n1,2\n"),
      "../../etc/passwd.csv",
      "text/csv",
    );
    expect(response.status).toBe(201);
    const attachment = (await response.json()) as {
      id: string;
      fileName: string;
      mimeType: string;
    };
    expect(attachment).toMatchObject({ fileName: "passwd.csv", mimeType: "text/csv" });
    expect(await storagePathOf(attachment.id)).toMatch(
      new RegExp(`^chats/${chatId}/${alice.id}/\\d{8}_\\d{6}_[0-9a-f]{16}\\.csv$`),
    );
    const sent = await (
      await callerFor(alice)
    ).messages.send({ chatId, content: "data", attachmentIds: [attachment.id] });
    const view = (await (await callerFor(alice)).messages.list({ chatId })).messages.find(
      (m) => m.id === sent.id,
    );
    const served = await get(view?.attachments[0]?.url ?? "");
    expect(served.headers.get("content-disposition")).toMatch(/^attachment; filename="passwd.csv"/);
    expect(await served.text()).toBe("a,b\n1,2\n");
  });

  it("refuses an oversize upload with 413 and keeps nothing", async () => {
    const before = await filesOnDisk();
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const total = 52; // MB, over the 50 MB default
    const boundary = "parleyboundary";
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          encoder.encode(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.zip"\r\nContent-Type: application/zip\r\n\r\nPK\x03\x04`,
          ),
        );
      },
      pull(controller) {
        if (sent++ < total) controller.enqueue(chunk);
        else {
          controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
          controller.close();
        }
      },
    });
    const response = await uploadAttachment(
      new Request(`http://localhost/api/chats/${chatId}/attachments`, {
        method: "POST",
        body,
        headers: {
          ...Object.fromEntries(alice.headers),
          "content-type": `multipart/form-data; boundary=${boundary}`,
        },
        duplex: "half",
      } as RequestInit),
      chatId,
    );
    expect(response.status).toBe(413);
    expect(await filesOnDisk()).toEqual(before);
  });

  it("refuses expired and tampered signed URLs", async () => {
    const response = await upload(alice, await png(), "pic.png", "image/png");
    const { id } = (await response.json()) as { id: string };
    const objectPath = await storagePathOf(id);
    const expired = await signObjectToken(`${ATTACHMENT_BUCKET}/${objectPath}`, -10);
    expect(
      (await get(`/storage/v1/object/sign/${ATTACHMENT_BUCKET}/${objectPath}?token=${expired}`))
        .status,
    ).toBe(400);
    const other = await signObjectToken(`${ATTACHMENT_BUCKET}/chats/other.png`, 60);
    expect(
      (await get(`/storage/v1/object/sign/${ATTACHMENT_BUCKET}/${objectPath}?token=${other}`))
        .status,
    ).toBe(400);
    const good = await storage.createSignedUrl(objectPath, 60);
    expect((await get(`${good.slice(0, -3)}abc`)).status).toBe(400);
    expect((await get(good)).status).toBe(200);
  });

  it("stops serving a deleted group's files at once and removes them after the retention, and reports storage stats", async () => {
    const asAlice = await callerFor(alice);
    const group = (await asAlice.chats.createGroup({ name: "Temp", memberIds: [] })).id;
    const response = await upload(alice, await png(), "pic.png", "image/png", group);
    const { id } = (await response.json()) as { id: string };
    const sent = await asAlice.messages.send({ chatId: group, content: "", attachmentIds: [id] });
    const url = sent.attachments[0]!.url;
    expect((await get(url)).status).toBe(200);
    const stats = await asAlice.chats.storageStats({ chatId: group });
    expect(stats).toMatchObject({ count: 1, byType: [{ mimeType: "image/png", count: 1 }] });
    expect(stats.totalBytes).toBeGreaterThan(0);
    await expect(
      (await callerFor(mallory)).chats.storageStats({ chatId: group }),
    ).rejects.toThrow();
    expect((await filesOnDisk()).filter((f) => f.includes(group))).toHaveLength(2);
    await asAlice.chats.delete({ chatId: group });
    expect((await get(url)).status).toBe(404);
    // Kept through the retention, then removed.
    expect(await purgeDeletedGroupFiles(database.handle.db, 1)).toBe(0);
    await drainStorageDeletions(database.handle.db, storage);
    expect((await filesOnDisk()).filter((f) => f.includes(group))).toHaveLength(2);
    await database.handle.db.execute(
      sql`update public.chats set "deletedAt" = now() - interval '2 days' where id = ${group}::uuid`,
    );
    expect(await purgeDeletedGroupFiles(database.handle.db, 1)).toBe(1);
    await drainStorageDeletions(database.handle.db, storage);
    expect((await filesOnDisk()).filter((f) => f.includes(group))).toEqual([]);
  });

  it("purges uploads never sent after 24 hours, files included", async () => {
    const response = await upload(alice, await png(), "draft.png", "image/png");
    const { id } = (await response.json()) as { id: string };
    const objectPath = await storagePathOf(id);
    expect(await storage.stat(objectPath)).not.toBeNull();
    expect(await purgeUnboundUploads(database.handle.db)).toBe(0);
    await database.handle.db.execute(
      sql`update public.message_attachments set "createdAt" = now() - interval '25 hours' where id = ${id}::uuid`,
    );
    expect(await purgeUnboundUploads(database.handle.db)).toBe(1);
    await drainStorageDeletions(database.handle.db, storage);
    expect(await storage.stat(objectPath)).toBeNull();
  });
});

describe("the upload budget", () => {
  it("refuses uploads past RATE_LIMIT_UPLOADS a minute with 429 and Retry-After, keeping nothing", async () => {
    const eager = await signUp("Eager");
    const chat = (
      await (await callerFor(eager)).chats.createGroup({ name: "Many files", memberIds: [] })
    ).id;
    const bytes = new TextEncoder().encode("a small note");
    for (let i = 0; i < env.RATE_LIMIT_UPLOADS; i++) {
      expect((await upload(eager, bytes, `note-${i}.txt`, "text/plain", chat)).status).toBe(201);
    }
    const before = (await filesOnDisk()).length;
    const refused = await upload(eager, bytes, "one-more.txt", "text/plain", chat);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /Too many uploads/,
    );
    expect((await filesOnDisk()).length).toBe(before);
    // Another user's budget is their own.
    expect((await upload(alice, bytes, "mine.txt", "text/plain")).status).toBe(201);
  });
});

describe("image bombs", () => {
  it("refuses an image that would decode past IMAGE_MAX_PIXELS with 413, keeping nothing", async () => {
    const before = await filesOnDisk();
    const response = await upload(bob, await pngClaiming(10_000, 10_000), "bomb.png", "image/png");
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /megapixels/,
    );
    expect(await filesOnDisk()).toEqual(before);
  });
});

describe("the storage quota and the daily allowance", () => {
  /** Files `who` uploaded earlier, written straight into the table. */
  async function uploadedBefore(who: TestUser, chat: string, fileSize: number, hoursAgo: number) {
    await database.handle.db.insert(messageAttachments).values({
      chatId: chat,
      uploaderId: who.id,
      fileName: "earlier.zip",
      storagePath: attachmentPath(chat, who.id, "zip"),
      fileSize,
      mimeType: "application/zip",
      createdAt: new Date(Date.now() - hoursAgo * 3600_000),
    });
  }

  it("refuses an upload that does not fit in the quota with 413, and shows the figures", async () => {
    const full = await signUp("Full");
    const caller = await callerFor(full);
    const chat = (await caller.chats.createGroup({ name: "Hoard", memberIds: [] })).id;
    await uploadedBefore(full, chat, env.STORAGE_QUOTA_BYTES - 5, 48);
    expect(await caller.me.storage()).toEqual({
      usedBytes: env.STORAGE_QUOTA_BYTES - 5,
      quotaBytes: env.STORAGE_QUOTA_BYTES,
      uploadedTodayBytes: 0,
      dailyBytes: env.UPLOAD_BYTES_PER_DAY,
    });
    const before = await filesOnDisk();
    const refused = await upload(
      full,
      new TextEncoder().encode("too much"),
      "a.txt",
      "text/plain",
      chat,
    );
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /no room for this one/,
    );
    expect(await filesOnDisk()).toEqual(before);
  });

  it("refuses more than a day's uploads with 429 and Retry-After", async () => {
    const busy = await signUp("Busy");
    const caller = await callerFor(busy);
    const chat = (await caller.chats.createGroup({ name: "Daily", memberIds: [] })).id;
    await uploadedBefore(busy, chat, env.UPLOAD_BYTES_PER_DAY - 5, 1);
    const refused = await upload(
      busy,
      new TextEncoder().encode("one more"),
      "b.txt",
      "text/plain",
      chat,
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("3600");
    // Uploads older than a day no longer count against it.
    const fresh = await signUp("Fresh");
    const freshCaller = await callerFor(fresh);
    const other = (await freshCaller.chats.createGroup({ name: "Later", memberIds: [] })).id;
    await uploadedBefore(fresh, other, env.UPLOAD_BYTES_PER_DAY - 5, 25);
    expect(
      (await upload(fresh, new TextEncoder().encode("ok"), "c.txt", "text/plain", other)).status,
    ).toBe(201);
  });
});
