import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectJwtKey } from "@/server/project-jwt-key";
import { startStorageStandIn, type StorageStandIn } from "@/test/supabase-storage-stand-in";
import { ATTACHMENT_BUCKET, type StorageDriver } from "./driver";
import { LocalStorageDriver } from "./local";
import { verifyObjectToken } from "./signed-url";
import { SupabaseStorageDriver } from "./supabase";

let root: string;
let standIn: StorageStandIn;
const drivers: Record<string, () => StorageDriver> = {
  local: () => new LocalStorageDriver(root, ATTACHMENT_BUCKET),
  supabase: () => new SupabaseStorageDriver(standIn.url, "service-key", ATTACHMENT_BUCKET),
};

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "parley-drivers-"));
  standIn = await startStorageStandIn({ serviceKey: "service-key", jwtKey: projectJwtKey() });
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
  await standIn.close();
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
