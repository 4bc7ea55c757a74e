import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageAttachments } from "@/db/schema";
import { uploadAttachment } from "@/server/http/uploads";
import { setStorage } from "@/server/storage";
import { ATTACHMENT_BUCKET } from "@/server/storage/driver";
import { LocalStorageDriver } from "@/server/storage/local";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();

describe("forwarding a message", () => {
  let root: string;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let mallory: TestUser;
  let fromChat: string;
  let toChat: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "parley-forward-"));
    setStorage(new LocalStorageDriver(root, ATTACHMENT_BUCKET));
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    carol = await signUp("Carol");
    mallory = await signUp("Mallory");
    const asAlice = await callerFor(alice);
    fromChat = (await asAlice.chats.createGroup({ name: "Design", memberIds: [bob.id] })).id;
    toChat = (await asAlice.chats.createDirect({ userId: carol.id })).id;
  });

  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function uploadPng(who: TestUser, chatId: string): Promise<string> {
    const png = await sharp({
      create: { width: 40, height: 30, channels: 3, background: "#3366cc" },
    })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append("file", new Blob([png], { type: "image/png" }), "mock-up.png");
    const response = await uploadAttachment(
      new Request(`http://localhost/api/chats/${chatId}/attachments`, {
        method: "POST",
        body: form,
        headers: who.headers,
      }),
      chatId,
    );
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  it("sends a new message marked as forwarded, with copies of its files", async () => {
    const asBob = await callerFor(bob);
    const original = await asBob.messages.send({
      chatId: fromChat,
      content: "The **new** logo",
      attachmentIds: [await uploadPng(bob, fromChat)],
    });
    const asAlice = await callerFor(alice);
    const forwarded = await asAlice.messages.forward({ messageId: original.id, chatId: toChat });
    expect(forwarded).toMatchObject({
      chatId: toChat,
      content: "The **new** logo",
      forwarded: true,
      sender: { id: alice.id },
      type: "image",
      attachments: [{ fileName: "mock-up.png", mimeType: "image/png", width: 40, height: 30 }],
    });
    expect(original.forwarded).toBe(false);

    // Carol reads it in her chat; the copy is Alice's, in that chat, not Bob's original.
    const page = await (await callerFor(carol)).messages.list({ chatId: toChat });
    expect(page.messages.at(-1)).toMatchObject({ id: forwarded.id, forwarded: true });
    const [copy] = await database.handle.db
      .select()
      .from(messageAttachments)
      .where(eq(messageAttachments.messageId, forwarded.id));
    const [source] = await database.handle.db
      .select()
      .from(messageAttachments)
      .where(eq(messageAttachments.messageId, original.id));
    expect(copy).toMatchObject({
      chatId: toChat,
      uploaderId: alice.id,
      fileSize: source!.fileSize,
    });
    expect(copy!.storagePath).not.toBe(source!.storagePath);
    const bytes = (p: string) => fs.readFile(path.join(root, ATTACHMENT_BUCKET, p));
    expect(await bytes(copy!.storagePath)).toEqual(await bytes(source!.storagePath));
    expect(copy!.thumbnailPath).not.toBeNull();
    expect(await bytes(copy!.thumbnailPath!)).toEqual(await bytes(source!.thumbnailPath!));

    // Deleting the original leaves the forwarded copy whole.
    await asBob.messages.delete({ messageId: original.id });
    const again = await (await callerFor(carol)).messages.get({ messageId: forwarded.id });
    expect(again.attachments).toHaveLength(1);
  });

  it("forwards once per key", async () => {
    const asAlice = await callerFor(alice);
    const original = await asAlice.messages.send({ chatId: fromChat, content: "Once" });
    const input = { messageId: original.id, chatId: toChat, clientKey: "fwd-1" };
    const first = await asAlice.messages.forward(input);
    expect((await asAlice.messages.forward(input)).id).toBe(first.id);
  });

  it("refuses what cannot be forwarded, and nothing of the chats out of sight", async () => {
    const [asAlice, asBob, asMallory] = await Promise.all([
      callerFor(alice),
      callerFor(bob),
      callerFor(mallory),
    ]);
    const message = await asBob.messages.send({ chatId: fromChat, content: "Secret plan" });
    // Someone outside the source chat cannot forward from it; no one forwards into a chat
    // they are not in.
    expect(
      await codeOf(asMallory.messages.forward({ messageId: message.id, chatId: toChat })),
    ).toBe("NOT_FOUND");
    expect(await codeOf(asBob.messages.forward({ messageId: message.id, chatId: toChat }))).toBe(
      "NOT_FOUND",
    );
    await asBob.messages.delete({ messageId: message.id });
    expect(await codeOf(asAlice.messages.forward({ messageId: message.id, chatId: toChat }))).toBe(
      "BAD_REQUEST",
    );
    const event = (await asAlice.messages.list({ chatId: fromChat })).messages.find(
      (m) => m.type === "system",
    )!;
    expect(await codeOf(asAlice.messages.forward({ messageId: event.id, chatId: toChat }))).toBe(
      "BAD_REQUEST",
    );
  });
});
