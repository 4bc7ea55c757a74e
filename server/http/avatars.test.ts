import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { setStorage } from "@/server/storage";
import { AVATAR_MAX_BYTES, avatarObjectPath, parseAvatarUrl } from "@/contracts/avatar-paths";
import { removeAvatar, serveAvatar, uploadAvatar } from "./avatars";
import { ATTACHMENT_BUCKET } from "@/server/storage/driver";
import { LocalStorageDriver } from "@/server/storage/local";

useTestDatabase();
let root: string;
let storage: LocalStorageDriver;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "parley-avatars-"));
  storage = new LocalStorageDriver(root, ATTACHMENT_BUCKET);
  setStorage(storage);
  alice = await signUp("Alice");
  bob = await signUp("Bob");
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** A 400 × 200 PNG: red left half, blue right half. */
const twoColours = () =>
  sharp({ create: { width: 400, height: 200, channels: 3, background: "#ff0000" } })
    .composite([
      {
        input: {
          create: { width: 200, height: 200, channels: 3, background: "#0000ff" },
        },
        left: 200,
        top: 0,
      },
    ])
    .png()
    .toBuffer();

function post(who: TestUser | null, bytes: Uint8Array, name: string, query = "", type = "") {
  const form = new FormData();
  form.append("file", new Blob([Buffer.from(bytes)], { type }), name);
  return uploadAvatar(
    new Request(`http://localhost/api/me/avatar${query}`, {
      method: "POST",
      body: form,
      headers: who ? who.headers : {},
    }),
  );
}

async function imageOf(who: TestUser): Promise<string | null> {
  return (await (await callerFor(who)).me.get()).image;
}

async function storedBytes(url: string): Promise<Buffer> {
  const ref = parseAvatarUrl(url);
  if (!ref) throw new Error(`not an avatar URL: ${url}`);
  const stream = await storage.get(avatarObjectPath(ref));
  if (!stream) throw new Error("avatar not stored");
  const chunks: Buffer[] = [];
  for await (const chunk of stream satisfies Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("avatar upload", () => {
  it("crops the chosen square, stores a 256 × 256 WebP and sets it as the picture", async () => {
    // The crop picks the blue half.
    const response = await post(
      alice,
      await twoColours(),
      "me.png",
      "?x=200&y=0&width=200&height=200",
    );
    expect(response.status).toBe(201);
    const image = await imageOf(alice);
    expect(image).toMatch(new RegExp(`^/api/avatars/${alice.id}/[0-9a-f]+\\.webp$`));
    const bytes = await storedBytes(image as string);
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 256, height: 256 });
    const { dominant } = await sharp(bytes).stats();
    expect(dominant.b).toBeGreaterThan(200);
    expect(dominant.r).toBeLessThan(50);
  });

  it("uses the centred square without a crop", async () => {
    const response = await post(bob, await twoColours(), "bob.png");
    expect(response.status).toBe(201);
    const meta = await sharp(await storedBytes((await imageOf(bob)) as string)).metadata();
    expect(meta).toMatchObject({ width: 256, height: 256 });
  });

  it("removes the old file when the avatar is replaced or removed", async () => {
    const first = (await imageOf(alice)) as string;
    const other = await sharp({
      create: { width: 64, height: 64, channels: 3, background: "#00ff00" },
    })
      .jpeg()
      .toBuffer();
    expect((await post(alice, other, "green.jpg")).status).toBe(201);
    const second = (await imageOf(alice)) as string;
    expect(second).not.toBe(first);
    // The old file goes once the change has committed (not awaited by the response).
    await expect.poll(() => storage.stat(avatarObjectPath(parseAvatarUrl(first)!))).toBeNull();
    expect(await storage.stat(avatarObjectPath(parseAvatarUrl(second)!))).not.toBeNull();

    const removed = await removeAvatar(
      new Request("http://localhost/api/me/avatar", { method: "DELETE", headers: alice.headers }),
    );
    expect(removed.status).toBe(200);
    expect(await imageOf(alice)).toBeNull();
    await expect.poll(() => storage.stat(avatarObjectPath(parseAvatarUrl(second)!))).toBeNull();
  });

  it("refuses what is not an image with 415, and keeps the picture", async () => {
    const before = await imageOf(bob);
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    const response = await post(bob, pdf, "face.png", "", "image/png");
    expect(response.status).toBe(415);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>');
    expect((await post(bob, svg, "face.svg", "", "image/svg+xml")).status).toBe(415);
    expect(await imageOf(bob)).toBe(before);
  });

  it("refuses files over 5 MB with 413", async () => {
    const big = new Uint8Array(AVATAR_MAX_BYTES + 1024);
    big.set(await twoColours());
    const response = await post(bob, big, "big.png");
    expect(response.status).toBe(413);
  });

  it("refuses a bad crop with 400 and anonymous callers with 401", async () => {
    expect(
      (await post(bob, await twoColours(), "a.png", "?x=-5&y=0&width=10&height=10")).status,
    ).toBe(400);
    expect((await post(null, await twoColours(), "a.png")).status).toBe(401);
    const anonDelete = await removeAvatar(
      new Request("http://localhost/api/me/avatar", { method: "DELETE" }),
    );
    expect(anonDelete.status).toBe(401);
  });

  it("lets nobody set someone else's uploaded avatar as their picture", async () => {
    const bobs = (await imageOf(bob)) as string;
    expect(await codeOf((await callerFor(alice)).me.update({ image: bobs }))).toBe("BAD_REQUEST");
    expect(await storage.stat(avatarObjectPath(parseAvatarUrl(bobs)!))).not.toBeNull();
  });
});

describe("avatar serving", () => {
  it("serves the current avatar with an ETag and long caching, 304 when unchanged", async () => {
    const url = (await imageOf(bob)) as string;
    const [, , , userId, file] = url.split("/");
    const params = { userId: userId as string, file: file as string };
    const response = await serveAvatar(
      new Request(`http://localhost${url}`, { headers: alice.headers }),
      params,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/webp");
    expect(response.headers.get("cache-control")).toContain("max-age=31536000");
    const etag = response.headers.get("etag");
    expect(etag).toBeTruthy();
    expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width).toBe(256);
    const again = await serveAvatar(
      new Request(`http://localhost${url}`, {
        headers: { cookie: alice.headers.get("cookie") ?? "", "if-none-match": etag ?? "" },
      }),
      params,
    );
    expect(again.status).toBe(304);
  });

  it("answers 404 for replaced avatars, made-up names and anonymous viewers", async () => {
    const url = (await imageOf(bob)) as string;
    const [, , , userId, file] = url.split("/");
    const anon = await serveAvatar(new Request(`http://localhost${url}`), {
      userId: userId as string,
      file: file as string,
    });
    expect(anon.status).toBe(404);
    const stale = await serveAvatar(new Request("http://localhost/x", { headers: alice.headers }), {
      userId: userId as string,
      file: "0123456789abcdef0123456789abcdef.webp",
    });
    expect(stale.status).toBe(404);
    const traversal = await serveAvatar(
      new Request("http://localhost/x", { headers: alice.headers }),
      {
        userId: "..",
        file: "..%2Fsecret",
      },
    );
    expect(traversal.status).toBe(404);
  });
});
