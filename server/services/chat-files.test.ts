import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadAttachment } from "@/server/http/uploads";
import { setStorage } from "@/server/storage";
import { ATTACHMENT_BUCKET } from "@/server/storage/driver";
import { LocalStorageDriver } from "@/server/storage/local";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

useTestDatabase();

let root: string;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;
let chatId: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "parley-files-"));
  setStorage(new LocalStorageDriver(root, ATTACHMENT_BUCKET));
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

/** Uploads one file as Alice and sends it in a message of its own; returns the message. */
async function send(bytes: Uint8Array, name: string, type: string) {
  const form = new FormData();
  form.append("file", new Blob([Buffer.from(bytes)], { type }), name);
  const response = await uploadAttachment(
    new Request(`http://localhost/api/chats/${chatId}/attachments`, {
      method: "POST",
      body: form,
      headers: alice.headers,
    }),
    chatId,
  );
  expect(response.status).toBe(201);
  const { id } = (await response.json()) as { id: string };
  return (await callerFor(alice)).messages.send({ chatId, content: "", attachmentIds: [id] });
}

const png = (background: string) =>
  sharp({ create: { width: 40, height: 30, channels: 3, background } })
    .png()
    .toBuffer();

describe("a chat's media and files", () => {
  it("lists pictures and other files apart, newest first, a page at a time, for members only", async () => {
    const first = await send(await png("#ff0000"), "red.png", "image/png");
    const notes = await send(new TextEncoder().encode("notes"), "notes.txt", "text/plain");
    const second = await send(await png("#00ff00"), "green.png", "image/png");
    const asBob = await callerFor(bob);

    const media = await asBob.chats.files({ chatId, kind: "media", limit: 1 });
    expect(media.items).toMatchObject([
      { fileName: "green.png", mimeType: "image/png", seq: second.seq, sender: { id: alice.id } },
    ]);
    expect(media.items[0]!.url).toMatch(/^\/storage\/v1\/object\/sign\//);
    expect(media.items[0]!.thumbnailUrl).not.toBeNull();
    const older = await asBob.chats.files({
      chatId,
      kind: "media",
      limit: 1,
      cursor: media.nextCursor!,
    });
    expect(older.items.map((f) => f.fileName)).toEqual(["red.png"]);
    expect(older.items[0]!.seq).toBe(first.seq);
    expect(older.nextCursor).toBeNull();

    const files = await asBob.chats.files({ chatId, kind: "files" });
    expect(files.items.map((f) => [f.fileName, f.seq])).toEqual([["notes.txt", notes.seq]]);

    expect(await codeOf((await callerFor(mallory)).chats.files({ chatId, kind: "media" }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(asBob.chats.files({ chatId, kind: "media", cursor: "nonsense" }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("leaves out the files of deleted messages", async () => {
    const sent = await send(await png("#0000ff"), "blue.png", "image/png");
    const asAlice = await callerFor(alice);
    expect((await asAlice.chats.files({ chatId, kind: "media" })).items[0]?.fileName).toBe(
      "blue.png",
    );
    await asAlice.messages.delete({ messageId: sent.id });
    const names = (await asAlice.chats.files({ chatId, kind: "media" })).items.map(
      (f) => f.fileName,
    );
    expect(names).not.toContain("blue.png");
  });
});
