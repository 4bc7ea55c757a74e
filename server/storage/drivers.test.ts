import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALLOWED_MIME_TYPES } from "@/server/media/file-types";
import { projectJwtKey } from "@/server/project-jwt-key";
import { startStorageStandIn, type StorageStandIn } from "@/test/supabase-storage-stand-in";
import { ATTACHMENT_BUCKET, type StorageDriver } from "./driver";
import { LocalStorageDriver } from "./local";
import { setUpStorage } from "./setup";
import { verifyObjectToken } from "./signed-url";
import { SupabaseStorageDriver } from "./supabase";

let root: string;
let standIn: StorageStandIn;
const drivers: Record<string, () => StorageDriver> = {
  local: () => new LocalStorageDriver(root, ATTACHMENT_BUCKET),
  supabase: () => new SupabaseStorageDriver(standIn.url, "service-key", ATTACHMENT_BUCKET),
};

const BUCKET_SETTINGS = { fileSizeLimit: 64 * 1024, allowedMimeTypes: ALLOWED_MIME_TYPES };

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "parley-drivers-"));
  standIn = await startStorageStandIn({ serviceKey: "service-key", jwtKey: projectJwtKey() });
  // Storage has no bucket until storage:setup makes it, as on a new project.
  await setUpStorage(drivers.supabase!(), BUCKET_SETTINGS, root);
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
  await standIn.close();
  // Every request the driver made was one Storage answers.
  expect(standIn.unmatched).toEqual([]);
});

const tokenOf = (url: string) => new URL(url, "http://localhost").searchParams.get("token");

describe.each(Object.keys(drivers))("the %s storage driver", (name) => {
  const objectPath = `chats/${name}/u/20261123_120000_00ff.txt`;

  it("stores a stream, reports its size, and never overwrites", async () => {
    const driver = drivers[name]!();
    await driver.put(objectPath, Readable.from([Buffer.from("hello "), Buffer.from("world")]), {
      contentType: "text/plain",
    });
    expect(await driver.stat(objectPath)).toEqual({ size: 11 });
    await expect(
      driver.put(objectPath, Readable.from([Buffer.from("again")]), { contentType: "text/plain" }),
    ).rejects.toThrow();
    expect(await driver.stat(objectPath)).toEqual({ size: 11 });
    expect(await driver.stat(`chats/${name}/u/missing.txt`)).toBeNull();
  });

  it("signs URLs in Storage's shape, valid for that object only", async () => {
    const driver = drivers[name]!();
    const url = await driver.createSignedUrl(objectPath, 60, { download: "report final.txt" });
    expect(new URL(url, "http://localhost").pathname).toBe(
      `/storage/v1/object/sign/${ATTACHMENT_BUCKET}/${objectPath}`,
    );
    expect(url).toContain("&download=report%20final.txt");
    expect(await verifyObjectToken(tokenOf(url), `${ATTACHMENT_BUCKET}/${objectPath}`)).toEqual({
      ok: true,
    });
    expect((await verifyObjectToken(tokenOf(url), `${ATTACHMENT_BUCKET}/other.txt`)).ok).toBe(
      false,
    );
  });

  it("refuses paths that could leave the bucket", async () => {
    const driver = drivers[name]!();
    for (const bad of ["../escape.txt", "chats/../../x", "/abs.txt", "chats//x", "a\0b"]) {
      await expect(
        driver.put(bad, Readable.from([Buffer.from("x")]), { contentType: "text/plain" }),
      ).rejects.toThrow(/Unsafe object path/);
    }
  });

  it("reads an object back as a stream, and a missing one as null", async () => {
    const driver = drivers[name]!();
    const readPath = `chats/${name}/u/20261123_120000_0aa0.webp`;
    await driver.put(readPath, Readable.from([Buffer.from("avatar-bytes")]), {
      contentType: "image/webp",
    });
    const body = await driver.get(readPath);
    expect(body).not.toBeNull();
    const chunks: Buffer[] = [];
    for await (const chunk of body!) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).toString()).toBe("avatar-bytes");
    expect(await driver.get(`chats/${name}/u/missing.webp`)).toBeNull();
    await driver.remove([readPath]);
  });

  it("removes objects, and removing a missing one is not an error", async () => {
    const driver = drivers[name]!();
    await driver.remove([objectPath, `chats/${name}/u/never-existed.txt`]);
    expect(await driver.stat(objectPath)).toBeNull();
    await driver.remove([]);
  });
});

describe("the Supabase driver's signed URLs", () => {
  it("are accepted by Storage's own verification", async () => {
    const driver = drivers.supabase!();
    const objectPath = "chats/c/u/20261123_120000_abcd.png";
    await driver.put(objectPath, Readable.from([Buffer.from("png-bytes")]), {
      contentType: "image/png",
    });
    const response = await fetch(await driver.createSignedUrl(objectPath, 60));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("png-bytes");
    const forged = await fetch(
      `${standIn.url}/storage/v1/object/sign/${ATTACHMENT_BUCKET}/${objectPath}?token=x`,
    );
    expect(forged.status).toBe(400);
  });
});

describe("storage:setup", () => {
  it("has nothing to do for local storage", async () => {
    expect(await setUpStorage(drivers.local!(), BUCKET_SETTINGS, root)).toBe(
      `Local storage in ${root}: nothing to set up.`,
    );
  });

  it("creates the private bucket with the limits once, then brings it to new ones", async () => {
    const fresh = await startStorageStandIn({ serviceKey: "service-key", jwtKey: projectJwtKey() });
    try {
      const driver = new SupabaseStorageDriver(fresh.url, "service-key", ATTACHMENT_BUCKET);
      // Before setup there is nowhere to upload to.
      await expect(
        driver.put("chats/c/u/a.txt", Readable.from([Buffer.from("x")]), {
          contentType: "text/plain",
        }),
      ).rejects.toThrow(/Bucket not found/);
      expect(await driver.stat("chats/c/u/a.txt")).toBeNull();
      expect(await driver.get("chats/c/u/a.txt")).toBeNull();

      expect(await setUpStorage(driver, BUCKET_SETTINGS, root)).toBe(
        `Supabase bucket ${ATTACHMENT_BUCKET} is ready (created).`,
      );
      expect(fresh.buckets.get(ATTACHMENT_BUCKET)).toEqual({
        id: ATTACHMENT_BUCKET,
        public: false,
        file_size_limit: BUCKET_SETTINGS.fileSizeLimit,
        allowed_mime_types: [...ALLOWED_MIME_TYPES],
      });
      expect(
        await setUpStorage(driver, { fileSizeLimit: 8, allowedMimeTypes: ["text/plain"] }, root),
      ).toBe(`Supabase bucket ${ATTACHMENT_BUCKET} is ready (updated).`);
      expect(fresh.buckets.get(ATTACHMENT_BUCKET)).toMatchObject({
        file_size_limit: 8,
        allowed_mime_types: ["text/plain"],
      });

      // The bucket's settings hold: another type, or more bytes, are refused.
      await expect(
        driver.put("chats/c/u/b.svg", Readable.from([Buffer.from("<svg/>")]), {
          contentType: "image/svg+xml",
        }),
      ).rejects.toThrow(/not supported/);
      await expect(
        driver.put("chats/c/u/c.txt", Readable.from([Buffer.from("nine bytes")]), {
          contentType: "text/plain",
        }),
      ).rejects.toThrow(/exceeded/);
      expect(fresh.unmatched).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it("stops at a refused key instead of trying to create the bucket", async () => {
    const driver = new SupabaseStorageDriver(standIn.url, "wrong-key", ATTACHMENT_BUCKET);
    await expect(setUpStorage(driver, BUCKET_SETTINGS, root)).rejects.toThrow(
      /bucket setup failed: Invalid Compact JWS/,
    );
    await expect(driver.stat("chats/c/u/x.txt")).rejects.toThrow(/Invalid Compact JWS/);
  });
});
