import "server-only";

import fs from "node:fs/promises";
import path from "node:path";
import type { TarWriter, WrittenEntry } from "./archive";

/** Stored files sit under this prefix in the archive, by their path below the storage root. */
export const FILES_PREFIX = "files/";

/**
 * Every stored file below `root`, as `/`-separated relative paths. Uploads in flight
 * (`*.partial`, see storage/local.ts) are not objects yet and are left out.
 */
export async function listStoredFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    let names;
    try {
      names = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const dirent of names) {
      const relative = prefix + dirent.name;
      if (dirent.isDirectory()) await walk(path.join(dir, dirent.name), `${relative}/`);
      else if (dirent.isFile() && !dirent.name.endsWith(".partial")) found.push(relative);
    }
  }
  await walk(root, "");
  return found.sort();
}

export async function addStoredFiles(tar: TarWriter, root: string): Promise<WrittenEntry[]> {
  const written: WrittenEntry[] = [];
  for (const relative of await listStoredFiles(root)) {
    written.push(
      await tar.addFile(FILES_PREFIX + relative, path.join(root, ...relative.split("/"))),
    );
  }
  return written;
}

/** True when `dir` is missing or holds nothing. */
export async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw error;
  }
}
