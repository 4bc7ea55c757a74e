import "server-only";

import { once } from "node:events";
import { setImmediate } from "node:timers/promises";
import { PassThrough, type Readable } from "node:stream";
import { strToU8, Zip, ZipDeflate, ZipPassThrough, type ZipInputFile } from "fflate";
import { avatarObjectPath, parseAvatarUrl } from "@/contracts/avatar-paths";
import { escapeHtml } from "@/server/mail/templates";
import type { StorageDriver } from "@/server/storage/driver";
import { sanitizeFileName } from "@/server/storage/paths";
import type { CollectedData, ExportedFile } from "./collect";

/** What `data.json` says its shape is, so a reader can tell versions apart. */
export const DATA_EXPORT_FORMAT = { name: "parley-data-export", version: 1 } as const;

export interface ArchivedFile extends Omit<ExportedFile, "storagePath"> {
  /** Where the bytes are inside the archive; null when storage no longer had them. */
  archivePath: string | null;
}

/** The machine-readable document: every section, files by where they are in the archive. */
export interface ExportDocument extends Omit<CollectedData, "files"> {
  format: typeof DATA_EXPORT_FORMAT;
  exportedAt: Date;
  files: ArchivedFile[];
  avatar: string | null;
}

const archiveNameOf = (file: ExportedFile) =>
  `files/${file.id}/${sanitizeFileName(file.fileName).replace(/[\\/]/g, "_")}`;

async function waitForRoom(out: PassThrough, stored: Promise<void>): Promise<void> {
  if (!out.writableNeedDrain) return;
  // A consumer that failed never drains: its failure ends the wait.
  await Promise.race([once(out, "drain"), stored]);
}

/**
 * Copies one stored object into the archive as it is (attachments are mostly compressed
 * already), a chunk at a time, never holding a whole file. False when storage has no such
 * object.
 */
async function copyObject(
  zip: Zip,
  name: string,
  body: Readable | null,
  out: PassThrough,
  stored: Promise<void>,
  mtime: Date,
): Promise<boolean> {
  if (!body) return false;
  const entry = new ZipPassThrough(name);
  entry.mtime = mtime;
  zip.add(entry);
  for await (const chunk of body) {
    entry.push(chunk instanceof Uint8Array ? chunk : Buffer.from(String(chunk)));
    await waitForRoom(out, stored);
  }
  entry.push(new Uint8Array(0), true);
  return true;
}

/** How much text is compressed before the worker lets the server's other work run. */
const TEXT_CHUNK_BYTES = 256 * 1024;

/**
 * Compresses a document into the archive a chunk at a time, yielding between chunks: the
 * worker shares its process with the web server, and one long history compressed in a single
 * stretch would hold every other request back until it was done.
 */
async function addText(zip: Zip, name: string, text: string, mtime: Date): Promise<void> {
  const entry: ZipInputFile & ZipDeflate = new ZipDeflate(name, { level: 6 });
  entry.mtime = mtime;
  zip.add(entry);
  const bytes = strToU8(text);
  let at = 0;
  do {
    const end = Math.min(at + TEXT_CHUNK_BYTES, bytes.length);
    entry.push(bytes.subarray(at, end), end === bytes.length);
    at = end;
    if (at < bytes.length) await setImmediate();
  } while (at < bytes.length);
}

/**
 * Writes the archive to storage at `path`, streaming: the attachments' bytes (and the avatar)
 * first, then `data.json` and `index.html`, which say where each file went. `onProgress` gets
 * the share of file bytes copied so far, 0 to 1. Returns the archive's size in bytes.
 */
export async function writeArchive(
  storage: StorageDriver,
  path: string,
  data: CollectedData,
  options: { exportedAt: Date; onProgress: (done: number) => Promise<void> },
): Promise<number> {
  const { exportedAt } = options;
  const out = new PassThrough();
  // Its failures reach this function through `stored` (the consumer's pipeline) or as thrown
  // here; an 'error' event nobody listens to would take the process down instead.
  out.on("error", () => {});
  let written = 0;
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      out.destroy(error);
      return;
    }
    written += chunk.length;
    out.write(chunk);
    if (final) out.end();
  });
  const stored = storage.put(path, out, { contentType: "application/zip" });
  // Awaited below; until then a failure must not surface as an unhandled rejection.
  stored.catch(() => {});
  try {
    const totalBytes = data.files.reduce((sum, f) => sum + f.fileSize, 0) || 1;
    let copiedBytes = 0;
    const files: ArchivedFile[] = [];
    for (const file of data.files) {
      const { storagePath, ...described } = file;
      const name = archiveNameOf(file);
      const copied = await copyObject(
        zip,
        name,
        await storage.get(storagePath),
        out,
        stored,
        file.createdAt,
      );
      files.push({ ...described, archivePath: copied ? name : null });
      copiedBytes += file.fileSize;
      await options.onProgress(Math.min(1, copiedBytes / totalBytes));
    }
    const avatarRef = parseAvatarUrl(data.profile.image);
    let avatar: string | null = null;
    if (avatarRef && avatarRef.userId === data.profile.id) {
      const body = await storage.get(avatarObjectPath(avatarRef));
      if (await copyObject(zip, "avatar.webp", body, out, stored, exportedAt)) {
        avatar = "avatar.webp";
      }
    }
    const document: ExportDocument = {
      format: DATA_EXPORT_FORMAT,
      exportedAt,
      ...data,
      files,
      avatar,
    };
    await addText(zip, "data.json", JSON.stringify(document, null, 2), exportedAt);
    await setImmediate();
    await addText(zip, "index.html", renderIndexHtml(document), exportedAt);
    zip.end();
    await stored;
    return written;
  } catch (error) {
    zip.terminate();
    out.destroy(error instanceof Error ? error : new Error(String(error)));
    await stored.catch(() => {});
    throw error;
  }
}

const when = (value: Date | null) => (value ? value.toISOString() : "");

function table(headings: string[], rows: (string | number | null)[][]): string {
  if (rows.length === 0) return "<p>None.</p>";
  const head = headings.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell) => `<td>${escapeHtml(String(cell ?? ""))}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A JSON value as readable text, for metas, preferences and audit details. */
const jsonText = (value: unknown) =>
  value === null || value === undefined ? "" : JSON.stringify(value);

/**
 * The same data for people: a static page, every value escaped, no scripts (its policy forbids
 * them even if one slipped in), links only to files inside the archive.
 */
export function renderIndexHtml(doc: ExportDocument): string {
  const fileLink = (file: ArchivedFile) =>
    file.archivePath
      ? `<a href="${escapeHtml(file.archivePath.split("/").map(encodeURIComponent).join("/"))}">${escapeHtml(file.fileName)}</a>`
      : `${escapeHtml(file.fileName)} (no longer stored)`;
  const sections: [string, string][] = [
    [
      "Profile",
      table(
        ["Name", "Email", "Role", "Member since"],
        [[doc.profile.name, doc.profile.email, doc.profile.role, when(doc.profile.createdAt)]],
      ) +
        (doc.avatar
          ? `<p><img src="${escapeHtml(doc.avatar)}" alt="Your profile picture" width="128" height="128"></p>`
          : ""),
    ],
    [
      "Preferences",
      table(
        ["Preference", "Value"],
        Object.entries(doc.preferences).map(([key, value]) => [key, jsonText(value)]),
      ),
    ],
    [
      "Custom fields",
      table(
        ["Key", "Value", "Type", "Public", "Updated"],
        doc.metas.map((m) => [
          m.key,
          jsonText(m.value),
          m.dataType,
          m.isPublic ? "yes" : "no",
          when(m.updatedAt),
        ]),
      ),
    ],
    [
      "Sessions",
      table(
        ["Signed in", "Last active", "Expires", "IP address", "Browser"],
        doc.sessions.map((s) => [
          when(s.createdAt),
          when(s.updatedAt),
          when(s.expiresAt),
          s.ipAddress,
          s.userAgent,
        ]),
      ),
    ],
    [
      "API keys",
      table(
        ["Name", "Prefix", "Scopes", "Created", "Last used", "Expires", "Revoked"],
        doc.apiKeys.map((k) => [
          k.name,
          k.prefix,
          k.scopes.join(", "),
          when(k.createdAt),
          when(k.lastUsed),
          when(k.expiresAt),
          when(k.revokedAt),
        ]),
      ),
    ],
    [
      "Workspaces",
      table(
        ["Name", "Role", "Joined"],
        doc.workspaces.map((w) => [w.name, w.role, when(w.joinedAt)]),
      ),
    ],
    [
      "Chats",
      table(
        ["Chat", "Workspace", "Type", "Role", "Joined"],
        doc.chats.map((c) => [c.title, c.workspace, c.type, c.role, when(c.joinedAt)]),
      ),
    ],
    [
      "Messages you sent",
      table(
        ["Sent", "Chat", "Message", "Edited", "Deleted"],
        doc.messages.map((m) => [
          when(m.createdAt),
          m.chatTitle,
          m.content,
          when(m.editedAt),
          when(m.deletedAt),
        ]),
      ),
    ],
    [
      "Your reactions",
      table(
        ["When", "Chat", "Reaction", "Message"],
        doc.reactions.map((r) => [when(r.createdAt), r.chatTitle, r.emoji, r.messageId]),
      ),
    ],
    [
      "Files you sent",
      doc.files.length === 0
        ? "<p>None.</p>"
        : `<table><thead><tr><th scope="col">File</th><th scope="col">Chat</th><th scope="col">Type</th><th scope="col">Bytes</th><th scope="col">Sent</th></tr></thead><tbody>\n${doc.files
            .map(
              (f) =>
                `<tr><td>${fileLink(f)}</td><td>${escapeHtml(f.chatTitle)}</td><td>${escapeHtml(f.mimeType)}</td><td>${f.fileSize}</td><td>${escapeHtml(when(f.createdAt))}</td></tr>`,
            )
            .join("\n")}\n</tbody></table>`,
    ],
    [
      "Your activity log",
      table(
        ["When", "Method", "Endpoint", "Status", "IP address", "Details"],
        doc.auditTrail.map((a) => [
          when(a.createdAt),
          a.method,
          a.endpoint,
          a.statusCode,
          a.ipAddress,
          jsonText(a.details),
        ]),
      ),
    ],
  ];
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Your Parley data — ${escapeHtml(doc.profile.name)}</title>`,
    "<style>body{font-family:system-ui,sans-serif;margin:2rem;line-height:1.4}table{border-collapse:collapse;margin-bottom:1rem}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top;white-space:pre-wrap}</style>",
    "</head>",
    "<body>",
    "<main>",
    `<h1>Your Parley data</h1>`,
    `<p>Exported ${escapeHtml(when(doc.exportedAt))} for ${escapeHtml(doc.profile.name)} (${escapeHtml(doc.profile.email)}). The same data, machine-readable, is in data.json.</p>`,
    ...sections.map(
      ([title, body]) => `<section>\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`,
    ),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
