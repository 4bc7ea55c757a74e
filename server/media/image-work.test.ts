import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { pngClaiming } from "@/test/images";
import { checkImageSize, imagePixels, runImageWork } from "./image-work";

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "parley-images-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("image size", () => {
  it("refuses an image over IMAGE_MAX_PIXELS from its header, before decoding it", async () => {
    const file = path.join(dir, "bomb.png");
    await fs.writeFile(file, await pngClaiming(10_000, 10_000));
    const refused = await checkImageSize(file).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect((refused as AppError).message).toMatch(/limited to 50 megapixels/);
  });

  it("lets an image within the limit through", async () => {
    const file = path.join(dir, "fine.png");
    await fs.writeFile(file, await pngClaiming(4_000, 3_000));
    await expect(checkImageSize(file)).resolves.toBeUndefined();
  });

  it("counts every frame of an animation", () => {
    expect(imagePixels({ width: 5000, height: 15_000, pageHeight: 5000, pages: 3 })).toBe(
      75_000_000,
    );
    expect(imagePixels({ width: 4000, height: 3000 })).toBe(12_000_000);
    expect(imagePixels({ width: 4000 })).toBeNull();
  });

  it("refuses a file that is not an image as unreadable", async () => {
    const file = path.join(dir, "text.png");
    await fs.writeFile(file, "not an image");
    await expect(checkImageSize(file)).rejects.toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
  });
});

describe("the image queue", () => {
  it("runs IMAGE_CONCURRENCY at a time, and refuses past IMAGE_QUEUE_MAX waiting", async () => {
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const job = () =>
      runImageWork(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
      });
    const accepted = Array.from({ length: env.IMAGE_CONCURRENCY + env.IMAGE_QUEUE_MAX }, job);
    const refused = await job().catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect((refused as AppError).details).toEqual({ retryAfterSeconds: 5 });
    while (releases.length || running) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    await Promise.all(accepted);
    expect(most).toBe(env.IMAGE_CONCURRENCY);
  });
});
