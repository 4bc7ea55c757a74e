import "server-only";

import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream, type ReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { extract, pack, type Header, type Pack } from "tar-stream";

/**
 * A plain (uncompressed) POSIX tar, written and read with tar-stream: every part of a backup
 * is already compressed (PGlite's gzip tarball, pg_dump's custom format, uploaded images),
 * and an operator can list or unpack it with `tar` alone. A tar is read front to back, so a
 * restore reads it twice: once for the manifest (which comes last, once every hash is
 * known), then once more to unpack what the manifest lists, checking each entry as it goes.
 * Neither pass holds more than a chunk of a large entry in memory.
 */

export class BackupError extends Error {}

export interface WrittenEntry {
  path: string;
  size: number;
  sha256: string;
}

type Sink = ReturnType<Pack["entry"]>;
type Extract = ReturnType<typeof extract>;

/** What both tar-stream writables (an entry being packed, the extractor) emit. */
interface Backpressured {
  on(event: "drain" | "close", listener: () => void): unknown;
  off(event: "drain" | "close", listener: () => void): unknown;
}

/** Resolves when `stream` takes data again; rejects if it closes first, so nothing waits forever. */
function drained(stream: Backpressured): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error: Error | null) => {
      stream.off("drain", onDrain);
      stream.off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle(null);
    const onClose = () => settle(new BackupError("the archive stream closed early"));
    stream.on("drain", onDrain);
    stream.on("close", onClose);
  });
}

/**
 * A tar-stream stream as a plain async iterable, hashing on the way when asked. Node's
 * pipeline() takes anything with `pipe` and `on` for one of its own streams, which
 * tar-stream's (streamx) streams are not; an iterable gets its backpressure and cleanup.
 */
async function* chunksOf(stream: AsyncIterable<unknown>, hash?: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    hash?.update(buffer);
    yield buffer;
  }
}

/** Writes entries one after another; `close()` ends the archive. */
export class TarWriter {
  private readonly pack = pack();
  private readonly done: Promise<void>;
  private readonly mtime = new Date();

  constructor(file: string) {
    this.done = pipeline(
      chunksOf(this.pack),
      createWriteStream(file, { flags: "wx", mode: 0o600 }),
    );
    // Awaited by close(); after a failure nobody may, and the rejection must not go unhandled.
    this.done.catch(() => {});
  }

  private entry(name: string, size: number, body?: Buffer): { sink: Sink; added: Promise<void> } {
    let settle: (error?: Error | null) => void = () => {};
    const added = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    // Not awaited when the body fails first; the entry's own failure must not go unhandled.
    added.catch(() => {});
    const header = { name, size, mode: 0o644, mtime: this.mtime, type: "file" } as const;
    const sink = body
      ? this.pack.entry(header, body, (error) => settle(error))
      : this.pack.entry(header, (error) => settle(error));
    // A failing pack destroys the entry with its error, which `added` already carries.
    sink.on("error", () => {});
    return { sink, added };
  }

  /**
   * The error to report for a failed write: when the pack was torn down, the file it was
   * going to (a full disk, say) failed, and that says more than the entry's own error.
   */
  private async failure(error: unknown): Promise<unknown> {
    if (!this.pack.destroying) return error;
    return this.done.then(
      () => error,
      (cause: unknown) => cause,
    );
  }

  /** Adds an entry from a stream of exactly `size` bytes, hashing it on the way. */
  async addStream(path: string, size: number, body: Readable): Promise<WrittenEntry> {
    const { sink, added } = this.entry(path, size);
    const hash = createHash("sha256");
    let written = 0;
    try {
      for await (const chunk of body) {
        const buffer = chunk as Buffer;
        written += buffer.length;
        // tar-stream would refuse the size mismatch too, but only once the entry ends.
        if (written > size) throw new BackupError(`${path} grew while it was being backed up`);
        hash.update(buffer);
        if (!sink.write(buffer)) await drained(sink);
      }
      if (written !== size) throw new BackupError(`${path} shrank while it was being backed up`);
      sink.end(null);
      await added;
    } catch (error) {
      throw await this.failure(error);
    }
    return { path, size, sha256: hash.digest("hex") };
  }

  async addFile(path: string, file: string): Promise<WrittenEntry> {
    const { size } = await fs.stat(file);
    return this.addStream(path, size, createReadStream(file));
  }

  async addBuffer(path: string, body: Buffer): Promise<WrittenEntry> {
    try {
      await this.entry(path, body.length, body).added;
    } catch (error) {
      throw await this.failure(error);
    }
    return { path, size: body.length, sha256: createHash("sha256").update(body).digest("hex") };
  }

  async close(): Promise<void> {
    this.pack.finalize();
    await this.done;
  }

  /** Stops writing after a failure; the caller removes the file. */
  async abort(): Promise<void> {
    this.pack.destroy(new BackupError("the backup was abandoned"));
    await this.done.catch(() => {});
  }
}

export interface TarEntry {
  path: string;
  size: number;
  /** Where the entry's bytes start in the archive. */
  offset: number;
}

const BLOCK = 512;

/**
 * The entry a header describes, refusing what a Parley backup never holds: a backup is input,
 * and a crafted one must not make a restore write outside its directory or follow a link.
 */
function checkHeader(header: Header, offset: number): TarEntry {
  const name = header.name;
  // Header's type leaves it out, but tar-stream gives null for a type flag it does not know.
  const type = String(header.type);
  if (type !== "file") {
    throw new BackupError(
      `the archive holds a ${type} entry (${JSON.stringify(name)}), where a backup has only plain files`,
    );
  }
  const segments = name.split("/");
  if (
    segments.some((s) => s === "" || s === "." || s === "..") ||
    /^[A-Za-z]:/.test(name) ||
    // Control characters would also let a name break the one-line messages that quote it.
    /[\\\p{Cc}]/u.test(name)
  ) {
    throw new BackupError(`the archive holds an unsafe path: ${JSON.stringify(name)}`);
  }
  return { path: name, size: header.size, offset: offset + BLOCK };
}

/** tar-stream's own errors are plain Errors saying the bytes are wrong; system errors stay as they are. */
function archiveError(error: unknown): unknown {
  if (error instanceof BackupError || !(error instanceof Error) || "syscall" in error) return error;
  if (/unexpected end of data/i.test(error.message)) {
    return new BackupError("the archive is truncated");
  }
  if (/invalid (tar )?header|header exceeds/i.test(error.message)) {
    return new BackupError("the archive is corrupt (bad header)");
  }
  return new BackupError(`the archive is unreadable (${error.message.split("\n")[0]})`);
}

async function feed(input: ReadStream, extractor: Extract): Promise<void> {
  try {
    for await (const chunk of input) {
      if (!extractor.write(chunk)) await drained(extractor);
    }
    extractor.end(null);
  } catch (error) {
    // The entries are read from the extractor, so that is where the failure must show.
    extractor.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * Reads the archive once, in order, handing each checked entry to `visit`, which must read
 * its body to the end before the next entry comes.
 */
async function readEntries(
  file: string,
  visit: (entry: TarEntry, body: AsyncIterable<unknown>) => Promise<void>,
): Promise<void> {
  const input = createReadStream(file);
  const extractor = extract();
  const feeding = feed(input, extractor);
  const seen = new Set<string>();
  try {
    for await (const body of extractor) {
      const entry = checkHeader(body.header, body.offset);
      // Two entries of one name could show one thing to the check and unpack another.
      if (seen.has(entry.path)) throw new BackupError(`the archive holds ${entry.path} twice`);
      seen.add(entry.path);
      await visit(entry, body);
    }
    await feeding;
  } catch (error) {
    throw archiveError(error);
  } finally {
    input.destroy();
    extractor.destroy();
  }
}

/** The manifest is parsed in memory; a size no manifest reaches is refused, not allocated. */
const MAX_KEPT = 512 * 1024 * 1024;

export interface TarListing {
  /** Every entry, in the archive's order. */
  entries: TarEntry[];
  /** The bodies of the entries asked for, by path. */
  bodies: Map<string, Buffer>;
}

/** Lists every entry, keeping the bodies of the small ones in `keep` (the manifest); writes nothing. */
export async function readTarEntries(file: string, keep: ReadonlySet<string>): Promise<TarListing> {
  const entries: TarEntry[] = [];
  const bodies = new Map<string, Buffer>();
  await readEntries(file, async (entry, body) => {
    entries.push(entry);
    const kept = keep.has(entry.path);
    if (kept && entry.size > MAX_KEPT) {
      throw new BackupError(`${entry.path} is ${entry.size} bytes, too large to be read`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of body) if (kept) chunks.push(chunk as Buffer);
    if (kept) bodies.set(entry.path, Buffer.concat(chunks));
  });
  return { entries, bodies };
}

async function hashEntry(body: AsyncIterable<unknown>): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Writes an entry to `target`, which must not exist yet, returning its SHA-256. */
async function copyEntry(body: AsyncIterable<unknown>, target: string): Promise<string> {
  const hash = createHash("sha256");
  await fs.mkdir(path.dirname(target), { recursive: true });
  await pipeline(chunksOf(body, hash), createWriteStream(target, { flags: "wx", mode: 0o600 }));
  return hash.digest("hex");
}

/** The manifest's line for an archive entry: refused when there is none or its size differs. */
export function listedEntry<T extends Pick<WrittenEntry, "path" | "size">>(
  listed: ReadonlyMap<string, T>,
  entry: Pick<WrittenEntry, "path" | "size">,
): T {
  const want = listed.get(entry.path);
  if (!want) throw new BackupError(`${entry.path} is in the archive but not in its manifest`);
  if (want.size !== entry.size) {
    throw new BackupError(`${entry.path} is ${entry.size} bytes, the manifest says ${want.size}`);
  }
  return want;
}

/** Refuses the first listed entry the archive did not hold. */
export function checkNoneMissing(
  listed: readonly Pick<WrittenEntry, "path">[],
  found: ReadonlySet<string>,
): void {
  const missing = listed.find((e) => !found.has(e.path));
  if (missing) throw new BackupError(`${missing.path} is in the manifest but not in the archive`);
}

export interface ExpectedEntry extends WrittenEntry {
  /** The new file to write the entry to; without one the entry is only read and checked. */
  target?: string;
}

/**
 * Checks every entry against `expected` (the manifest's list) in one pass, writing those with
 * a target. An entry the list does not have, a size or SHA-256 that differs, or a listed
 * entry that is missing is refused; the caller discards what was written by then.
 */
export async function extractTarEntries(
  file: string,
  expected: readonly ExpectedEntry[],
): Promise<void> {
  const wanted = new Map(expected.map((e) => [e.path, e]));
  const found = new Set<string>();
  await readEntries(file, async (entry, body) => {
    const want = listedEntry(wanted, entry);
    const sha256 = want.target ? await copyEntry(body, want.target) : await hashEntry(body);
    if (sha256 !== want.sha256) {
      throw new BackupError(
        `${entry.path} does not match its SHA-256 in the manifest: the backup is corrupt`,
      );
    }
    found.add(entry.path);
  });
  checkNoneMissing(expected, found);
}
