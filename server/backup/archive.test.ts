import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pack, type Pack } from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BackupError,
  extractTarEntries,
  readTarEntries,
  TarWriter,
  type WrittenEntry,
} from "./archive";
import { appMigrationLevel, parseManifest, refuseNewerLevel } from "./manifest";
import { restoreList } from "./postgres";

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "parley-archive-test-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function sha256(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

/** An archive made directly with tar-stream, holding what TarWriter never writes. */
async function craft(file: string, add: (tar: Pack) => void): Promise<void> {
  const tar = pack();
  add(tar);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  await fs.writeFile(file, Buffer.concat(chunks));
}

describe("the backup archive", () => {
  const longPath = `files/attachments/chats/${"c".repeat(36)}/${"u".repeat(36)}/${"n".repeat(200)}.png`;
  const big = randomBytes(1024 * 64 + 7);
  let file: string;
  let written: WrittenEntry[];

  beforeAll(async () => {
    file = path.join(dir, "a.tar");
    await fs.writeFile(path.join(dir, "empty.txt"), "");
    const tar = new TarWriter(file);
    written = [
      await tar.addBuffer("empty", Buffer.alloc(0)),
      await tar.addBuffer("exact", Buffer.alloc(512, 1)),
      await tar.addStream(
        longPath,
        big.length,
        Readable.from([big.subarray(0, 1000), big.subarray(1000)]),
      ),
      await tar.addFile("files/empty.txt", path.join(dir, "empty.txt")),
      await tar.addBuffer("manifest.json", Buffer.from("{}")),
    ];
    await tar.close();
  });

  it("round-trips entries of every size and long paths, and system tar reads it", async () => {
    const { entries, bodies } = await readTarEntries(file, new Set(["manifest.json"]));
    expect(entries.map((e) => [e.path, e.size])).toEqual(written.map((w) => [w.path, w.size]));
    expect([...bodies.keys()]).toEqual(["manifest.json"]);
    expect(bodies.get("manifest.json")?.toString()).toBe("{}");
    expect(written[2]?.sha256).toBe(sha256(big));
    expect(written[0]?.sha256).toBe(sha256(Buffer.alloc(0)));

    const out = path.join(dir, "out");
    await extractTarEntries(
      file,
      written.map((w) =>
        w.path === "manifest.json" ? w : { ...w, target: path.join(out, ...w.path.split("/")) },
      ),
    );
    expect((await fs.readFile(path.join(out, ...longPath.split("/")))).equals(big)).toBe(true);
    expect(await fs.readFile(path.join(out, "exact"))).toEqual(Buffer.alloc(512, 1));
    expect((await fs.stat(path.join(out, "empty"))).size).toBe(0);
    expect((await fs.stat(path.join(out, "files", "empty.txt"))).size).toBe(0);
    expect(existsSync(path.join(out, "manifest.json"))).toBe(false);

    const listed = execFileSync("tar", ["-tf", file], { encoding: "utf8" }).trim().split("\n");
    expect(listed).toEqual(["empty", "exact", longPath, "files/empty.txt", "manifest.json"]);
  });

  it("refuses an entry whose size, hash or presence differs from the list", async () => {
    // Each attempt unpacks into a directory of its own, as a restore does.
    let attempt = 0;
    const targets = () => {
      const out = path.join(dir, `out-checked-${(attempt += 1)}`);
      return written.map((w) => ({ ...w, target: path.join(out, w.path.replace(/\//g, "_")) }));
    };
    const wrongHash = targets().map((e) =>
      e.path === "exact" ? { ...e, sha256: sha256(big) } : e,
    );
    await expect(extractTarEntries(file, wrongHash)).rejects.toThrow(
      /^exact does not match its SHA-256 in the manifest: the backup is corrupt$/,
    );
    const wrongSize = targets().map((e) => (e.path === "exact" ? { ...e, size: 511 } : e));
    await expect(extractTarEntries(file, wrongSize)).rejects.toThrow(
      /exact is 512 bytes, the manifest says 511/,
    );
    await expect(extractTarEntries(file, written.slice(1))).rejects.toThrow(
      /empty is in the archive but not in its manifest/,
    );
    const extra = { path: "more", size: 0, sha256: sha256(Buffer.alloc(0)) };
    await expect(extractTarEntries(file, [...written, extra])).rejects.toThrow(
      /more is in the manifest but not in the archive/,
    );
  });

  it("refuses a truncated or corrupted archive with a one-line BackupError", async () => {
    const body = await fs.readFile(file);
    const truncated = path.join(dir, "truncated.tar");
    // Inside the long entry's data: the parser runs out of bytes mid-entry.
    await fs.writeFile(truncated, body.subarray(0, 4096));
    await expect(readTarEntries(truncated, new Set())).rejects.toThrow(
      new BackupError("the archive is truncated"),
    );
    await expect(extractTarEntries(truncated, written)).rejects.toThrow(/truncated/);
    // Mid-header as well.
    await fs.writeFile(truncated, body.subarray(0, 512 + 512 + 100));
    await expect(readTarEntries(truncated, new Set())).rejects.toThrow(/truncated/);

    const damaged = Buffer.from(body);
    damaged.write("x", 10);
    const corrupt = path.join(dir, "corrupt.tar");
    await fs.writeFile(corrupt, damaged);
    await expect(readTarEntries(corrupt, new Set())).rejects.toThrow(
      new BackupError("the archive is corrupt (bad header)"),
    );
    const notTar = path.join(dir, "not.tar");
    await fs.writeFile(notTar, randomBytes(4096));
    await expect(readTarEntries(notTar, new Set())).rejects.toThrow(BackupError);
  });

  it("notices a stream that is not the size it claimed", async () => {
    const short = new TarWriter(path.join(dir, "c.tar"));
    await expect(short.addStream("s", 10, Readable.from([Buffer.from("abc")]))).rejects.toThrow(
      new BackupError("s shrank while it was being backed up"),
    );
    await short.abort();
    const long = new TarWriter(path.join(dir, "d.tar"));
    await expect(long.addStream("l", 2, Readable.from([Buffer.from("abc")]))).rejects.toThrow(
      /l grew/,
    );
    await long.abort();
    // The file already exists: the writer never replaces one.
    const before = await fs.readFile(file);
    const again = new TarWriter(file);
    await again.addBuffer("x", Buffer.from("x")).catch(() => {});
    await expect(again.close()).rejects.toThrow(/EEXIST/);
    await again.abort();
    expect((await fs.readFile(file)).equals(before)).toBe(true);
  });

  it("refuses unsafe paths, links and devices before writing them anywhere", async () => {
    const out = path.join(dir, "unsafe", "out");
    const cases: [string, (tar: Pack) => void, RegExp][] = [
      ["../evil", (tar) => tar.entry({ name: "../evil" }, "evil"), /unsafe path: "\.\.\/evil"/],
      ["files/../../evil", (tar) => tar.entry({ name: "files/../../evil" }, "evil"), /unsafe path/],
      ["/tmp/evil", (tar) => tar.entry({ name: `${dir}/evil` }, "evil"), /unsafe path/],
      ["a\nb", (tar) => tar.entry({ name: "a\nb" }, "x"), /unsafe path: "a\\nb"/],
      [
        "symlink",
        (tar) => tar.entry({ name: "link", type: "symlink", linkname: "../../evil" }),
        /a symlink entry \("link"\)/,
      ],
      [
        "hard link",
        (tar) => tar.entry({ name: "hard", type: "link", linkname: "/etc/passwd" }),
        /a link entry/,
      ],
      [
        "device",
        (tar) => tar.entry({ name: "dev", type: "character-device", devmajor: 1, devminor: 3 }),
        /a character-device entry/,
      ],
      ["directory", (tar) => tar.entry({ name: "dir", type: "directory" }), /a directory entry/],
    ];
    for (const [label, add, message] of cases) {
      const crafted = path.join(dir, "crafted.tar");
      await fs.rm(crafted, { force: true });
      await craft(crafted, (tar) => {
        tar.entry({ name: "files/ok" }, "ok");
        add(tar);
      });
      await expect(readTarEntries(crafted, new Set()), label).rejects.toThrow(message);
      // Even with the bad entry in the list (as a crafted manifest would have it).
      const expected = [
        {
          path: "files/ok",
          size: 2,
          sha256: sha256(Buffer.from("ok")),
          target: path.join(out, "ok"),
        },
        ...["../evil", "files/../../evil", `${dir}/evil`, "link", "hard", "dev", "dir"].map(
          (name) => ({
            path: name,
            size: 4,
            sha256: sha256(Buffer.from("evil")),
            target: path.join(out, name),
          }),
        ),
      ];
      await expect(extractTarEntries(crafted, expected), label).rejects.toThrow(BackupError);
      expect(existsSync(path.join(dir, "evil")), label).toBe(false);
      expect(existsSync(path.join(dir, "unsafe", "evil")), label).toBe(false);
      expect(existsSync(path.join(out, "link")), label).toBe(false);
      await fs.rm(out, { recursive: true, force: true });
    }
  });
});

describe("the manifest", () => {
  it("refuses levels this app does not know and accepts its own and older ones", () => {
    const app = appMigrationLevel();
    expect(refuseNewerLevel(app)).toBeNull();
    expect(refuseNewerLevel({ count: 1, lastTag: null, lastWhen: null })).toBeNull();
    expect(refuseNewerLevel({ ...app, count: app.count + 1 })).toMatch(/newer migration level/);
    expect(refuseNewerLevel({ ...app, lastWhen: (app.lastWhen ?? 0) + 1 })).toMatch(
      /does not know/,
    );
  });

  it("says plainly when a file is not a Parley backup", () => {
    expect(() => parseManifest(Buffer.from("nope"))).toThrow(/not JSON/);
    expect(() => parseManifest(Buffer.from('{"format":"other"}'))).toThrow(/unknown manifest/);
    expect(() =>
      parseManifest(Buffer.from('{"format":"parley-backup","formatVersion":99}')),
    ).toThrow(/format version 99 is newer/);
    expect(() =>
      parseManifest(Buffer.from('{"format":"parley-backup","formatVersion":1}')),
    ).toThrow(/incomplete/);
  });
});

describe("the pg_restore list", () => {
  it("leaves out the public schema's creation and comment, keeping its grants", () => {
    const list = [
      "5; 2615 30446 SCHEMA - drizzle postgres",
      "6; 2615 2200 SCHEMA - public pg_database_owner",
      "4441; 0 0 COMMENT - SCHEMA public pg_database_owner",
      "4442; 0 0 ACL - SCHEMA public pg_database_owner",
      "230; 1259 30500 TABLE public user postgres",
    ].join("\n");
    expect(restoreList(list).split("\n")).toEqual([
      "5; 2615 30446 SCHEMA - drizzle postgres",
      "4442; 0 0 ACL - SCHEMA public pg_database_owner",
      "230; 1259 30500 TABLE public user postgres",
    ]);
  });
});
