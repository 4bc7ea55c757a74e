import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { avatarObjectPath, avatarUrl } from "@/contracts/avatar-paths";
import { withRls } from "@/db/rls";
import { queryRows } from "@/db/rows";
import {
  account,
  apiAuditLogs,
  apiKeys,
  dataExports,
  deadLetters,
  session,
  user,
} from "@/db/schema";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { drainStorageDeletions } from "@/server/jobs/storage-cleanup";
import { uploadAttachment } from "@/server/http/uploads";
import { downloadDataExport } from "@/server/http/data-exports";
import { router } from "@/server/http/handler";
import type { MailMessage } from "@/server/mail/message";
import { setStorage } from "@/server/storage";
import { ATTACHMENT_BUCKET, StorageError } from "@/server/storage/driver";
import { LocalStorageDriver } from "@/server/storage/local";
import { useTestDatabase, type TestDriver } from "@/test/database";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { expireDataExports } from "@/server/accounts/data-export/expire";
import {
  DATA_EXPORT_MAX_ATTEMPTS,
  dataExportPath,
  runDataExports,
  type DataExportDeps,
} from "@/server/accounts/data-export/worker";

const APP_URL = "http://parley.test";

/** A storage whose writes fail: the worker's retries and its giving up. */
class FailingStorage extends LocalStorageDriver {
  override put(): Promise<void> {
    return Promise.reject(new StorageError("storage is down"));
  }
}

/**
 * The data export end to end on one database engine: request, one run of the worker, the
 * archive's contents, the download, expiry, retries. Better Auth binds to the first database
 * a process opens, so each engine runs in its own file (server/accounts/data-export/).
 */
export function dataExportSuite(driver: TestDriver): void {
  describe(`data export on ${driver}`, () => {
    const database = useTestDatabase(driver);
    const db = () => database.handle.db;
    let root: string;
    let storage: LocalStorageDriver;
    const mails: MailMessage[] = [];
    let ann: TestUser;
    let bob: TestUser;
    let chatId: string;
    let apiKeySecret: string;
    let exportId: string;
    let archive: Record<string, Uint8Array>;

    const FILE_BYTES = "Ann's notes: the launch is on Tuesday.\n";
    const AVATAR_BYTES = "not really a webp, but Ann's picture all the same";
    const ANN_TEXT = "Hello <b>team</b> & welcome";
    const BOB_TEXT = "Bob's private words nobody else may take";

    const deps = (overrides: Partial<DataExportDeps> = {}): DataExportDeps => ({
      db: db(),
      storage,
      appUrl: APP_URL,
      ttlHours: 1,
      send: (mail) => {
        mails.push(mail);
        return Promise.resolve();
      },
      ...overrides,
    });

    const download = (who: TestUser | null, id: string, accept = "*/*") =>
      downloadDataExport(
        new Request(`${APP_URL}/api/account/exports/${id}`, {
          headers: { ...(who ? Object.fromEntries(who.headers) : {}), accept },
        }),
        id,
      );

    beforeAll(async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), "parley-exports-"));
      storage = new LocalStorageDriver(root, ATTACHMENT_BUCKET);
      setStorage(storage);
      ann = await signUp("Ann");
      bob = await signUp("Bob");
      const annCalls = await callerFor(ann);
      const bobCalls = await callerFor(bob);
      chatId = (await annCalls.chats.createGroup({ name: "Launch <plan>", memberIds: [bob.id] }))
        .id;

      const form = new FormData();
      form.append("file", new Blob([FILE_BYTES], { type: "text/plain" }), "notes.txt");
      const uploaded = await uploadAttachment(
        new Request(`${APP_URL}/api/chats/${chatId}/attachments`, {
          method: "POST",
          body: form,
          headers: ann.headers,
        }),
        chatId,
      );
      expect(uploaded.status).toBe(201);
      const { id: attachmentId } = (await uploaded.json()) as { id: string };

      await annCalls.messages.send({ chatId, content: ANN_TEXT });
      await annCalls.messages.send({ chatId, content: "", attachmentIds: [attachmentId] });
      const fromBob = await bobCalls.messages.send({ chatId, content: BOB_TEXT });
      await annCalls.messages.react({ messageId: fromBob.id, emoji: "🎉" });
      await annCalls.metas.set({ key: "favourite_drink", value: "rooibos" });
      ({ secret: apiKeySecret } = await annCalls.apiKeys.create({
        name: "Ann's deploy key",
        scopes: ["profile:read"],
      }));

      const avatar = { userId: ann.id, hash: "0123456789abcdef" };
      await storage.put(avatarObjectPath(avatar), Readable.from([Buffer.from(AVATAR_BYTES)]));
      await db()
        .update(user)
        .set({ image: avatarUrl(avatar) })
        .where(eq(user.id, ann.id));
    });

    afterAll(async () => {
      await fs.rm(root, { recursive: true, force: true });
    });

    it("queues a request and refuses a second one while it is in flight", async () => {
      const annCalls = await callerFor(ann);
      const requested = await annCalls.dataExports.request();
      expect(requested).toMatchObject({ status: "queued", progress: 0, downloadUrl: null });
      exportId = requested.id;

      const again = annCalls.dataExports.request();
      await expect(again).rejects.toBeInstanceOf(TRPCError);
      await expect(again).rejects.toMatchObject({
        code: "CONFLICT",
        message: expect.stringMatching(/already being prepared/) as unknown,
      });
      // The database holds the rule too, whatever the app checks first.
      await expect(
        withRls(ann.id, (tx) => tx.execute(sql`select public.request_data_export(1)`)),
      ).rejects.toThrow();

      expect(await annCalls.dataExports.latest()).toMatchObject({
        latest: { id: exportId, status: "queued" },
        nextRequestAt: null,
      });
      // Bob sees none of it.
      expect(await (await callerFor(bob)).dataExports.latest()).toMatchObject({ latest: null });
      expect(await (await callerFor(bob)).dataExports.list()).toEqual([]);
    });

    it("keeps request roles from writing the table directly", async () => {
      await expect(
        withRls(ann.id, (tx) => tx.insert(dataExports).values({ userId: ann.id })),
      ).rejects.toThrow();
      await expect(
        withRls(ann.id, (tx) =>
          tx.update(dataExports).set({ status: "ready" }).where(eq(dataExports.id, exportId)),
        ),
      ).rejects.toThrow();
      await expect(
        withRls(ann.id, (tx) => tx.delete(dataExports).where(eq(dataExports.id, exportId))),
      ).rejects.toThrow();
      // Bob's select sees no row of Ann's; Ann's sees hers.
      expect(
        await withRls(bob.id, (tx) => tx.select({ id: dataExports.id }).from(dataExports)),
      ).toEqual([]);
      expect(
        await withRls(ann.id, (tx) => tx.select({ id: dataExports.id }).from(dataExports)),
      ).toEqual([{ id: exportId }]);
    });

    it("refuses values the app would never write", async () => {
      const bad: Partial<typeof dataExports.$inferInsert>[] = [
        { progress: 101 },
        { progress: -1 },
        { status: "done" as "ready" },
        { storagePath: `exports/${ann.id}/elsewhere.zip` },
        // Ready without a file or an expiry.
        { status: "ready", progress: 100 },
      ];
      for (const values of bad) {
        await expect(
          db()
            .insert(dataExports)
            .values({ userId: bob.id, ...values }),
          JSON.stringify(values),
        ).rejects.toThrow();
      }
    });

    it("builds the archive in one run of the worker and mails its link", async () => {
      await createAuditFlusher(db()).flush();
      const outcomes = await runDataExports(deps());
      expect(outcomes.map((o) => [o.id, o.result])).toEqual([[exportId, "ready"]]);

      const latest = await (await callerFor(ann)).dataExports.latest();
      expect(latest.latest).toMatchObject({
        id: exportId,
        status: "ready",
        progress: 100,
        downloadUrl: `/api/account/exports/${exportId}`,
      });
      expect(latest.latest!.expiresAt!.getTime()).toBeGreaterThan(Date.now());
      expect(await storage.stat(dataExportPath(ann.id, exportId))).toMatchObject({
        size: latest.latest!.size,
      });

      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ to: ann.email });
      expect(mails[0]!.text).toContain(`${APP_URL}/api/account/exports/${exportId}`);
      expect(mails[0]!.html).toContain(`href="${APP_URL}/api/account/exports/${exportId}"`);
    });

    it("serves the archive to its owner only", async () => {
      // The route the HTTP layer serves it at, GET only.
      expect(router.match("GET", `/api/account/exports/${exportId}`)).toMatchObject({
        kind: "route",
        params: { id: exportId },
      });
      expect(router.match("DELETE", `/api/account/exports/${exportId}`)).toMatchObject({
        kind: "method-not-allowed",
      });
      const response = await download(ann, exportId);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/zip");
      expect(response.headers.get("content-disposition")).toMatch(
        /^attachment; filename="parley-data-\d{4}-\d{2}-\d{2}\.zip"$/,
      );
      expect(response.headers.get("cache-control")).toBe("no-store");
      archive = unzipSync(new Uint8Array(await response.arrayBuffer()));

      expect((await download(bob, exportId)).status).toBe(404);
      expect((await download(bob, "not-an-id")).status).toBe(404);
      expect((await download(null, exportId)).status).toBe(401);
      const browser = await download(null, exportId, "text/html");
      expect(browser.status).toBe(303);
      expect(browser.headers.get("location")).toBe("/sign-in?next=%2Fsettings%2Fdata");

      // Downloads and refused tries are audited, each in its caller's own trail.
      await createAuditFlusher(db()).flush();
      const trail = await db()
        .select({ userId: apiAuditLogs.userId, statusCode: apiAuditLogs.statusCode })
        .from(apiAuditLogs)
        .where(eq(apiAuditLogs.endpoint, "/api/account/exports/{id}"));
      expect(trail).toEqual(
        expect.arrayContaining([
          { userId: ann.id, statusCode: 200 },
          { userId: bob.id, statusCode: 404 },
        ]),
      );
    });

    it("holds the person's own data", () => {
      expect(Object.keys(archive)).toEqual(
        expect.arrayContaining(["data.json", "index.html", "avatar.webp"]),
      );
      const data = JSON.parse(strFromU8(archive["data.json"]!)) as {
        format: { name: string };
        profile: { id: string; name: string; email: string };
        metas: { key: string; value: unknown }[];
        apiKeys: { name: string; prefix: string }[];
        sessions: Record<string, unknown>[];
        messages: { content: string; chatTitle: string }[];
        reactions: { emoji: string; chatTitle: string }[];
        files: { fileName: string; archivePath: string | null }[];
        auditTrail: { endpoint: string }[];
      };
      expect(data.format.name).toBe("parley-data-export");
      expect(data.profile).toMatchObject({ id: ann.id, name: "Ann", email: ann.email });
      expect(data.metas).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: "favourite_drink", value: "rooibos" }),
        ]),
      );
      expect(data.apiKeys.map((k) => k.name)).toEqual(["Ann's deploy key"]);
      expect(data.messages).toContainEqual(
        expect.objectContaining({ content: ANN_TEXT, chatTitle: "Launch <plan>", type: "text" }),
      );
      expect(data.reactions).toEqual([
        expect.objectContaining({ emoji: "🎉", chatTitle: "Launch <plan>" }),
      ]);
      expect(data.auditTrail.map((a) => a.endpoint)).toContain("apiKeys.create");
      // The request itself is in the trail, with what it was.
      expect(data.auditTrail).toContainEqual(
        expect.objectContaining({
          endpoint: "dataExports.request",
          statusCode: 200,
          details: { action: "data_export.requested", exportId },
        }),
      );
      expect(data.sessions.length).toBeGreaterThan(0);
      for (const s of data.sessions) {
        expect(Object.keys(s).sort()).toEqual([
          "createdAt",
          "expiresAt",
          "ipAddress",
          "updatedAt",
          "userAgent",
        ]);
      }
      const [file] = data.files;
      expect(file).toMatchObject({ fileName: "notes.txt" });
      expect(strFromU8(archive[file!.archivePath!]!)).toBe(FILE_BYTES);
      expect(strFromU8(archive["avatar.webp"]!)).toBe(AVATAR_BYTES);

      const html = strFromU8(archive["index.html"]!);
      expect(html).toContain("Launch &lt;plan&gt;");
      expect(html).toContain("Hello &lt;b&gt;team&lt;/b&gt; &amp; welcome");
      expect(html).not.toContain("<b>team</b>");
      expect(html).not.toMatch(/<script/i);
    });

    it("holds nothing that is not theirs, and no secret", async () => {
      const everything = Object.values(archive)
        .map((bytes) => Buffer.from(bytes).toString("latin1"))
        .join("\n");
      const text = Object.entries(archive)
        .filter(([name]) => name.endsWith(".json") || name.endsWith(".html"))
        .map(([, bytes]) => strFromU8(bytes))
        .join("\n");
      expect(text).not.toContain(BOB_TEXT);
      expect(text).not.toContain(bob.email);

      const [key] = await db()
        .select({ hash: apiKeys.key })
        .from(apiKeys)
        .where(eq(apiKeys.userId, ann.id));
      const tokens = await db()
        .select({ token: session.token })
        .from(session)
        .where(eq(session.userId, ann.id));
      const [password] = await db()
        .select({ hash: account.password })
        .from(account)
        .where(eq(account.userId, ann.id));
      const secrets = [apiKeySecret, key!.hash, password!.hash!, ...tokens.map((t) => t.token)];
      expect(secrets.length).toBeGreaterThan(3);
      for (const secret of secrets) expect(everything).not.toContain(secret);
      expect(text).not.toMatch(/"(token|password|secret|hash)"\s*:/);
    });

    it("refuses a new request within the interval after one is ready", async () => {
      await expect((await callerFor(ann)).dataExports.request()).rejects.toMatchObject({
        code: "TOO_MANY_REQUESTS",
      });
    });

    it("stops serving an expired archive and removes its file", async () => {
      await db()
        .update(dataExports)
        .set({ expiresAt: new Date(Date.now() - 1000), readyAt: new Date(Date.now() - 3_600_000) })
        .where(eq(dataExports.id, exportId));
      expect((await download(ann, exportId)).status).toBe(404);
      expect((await (await callerFor(ann)).dataExports.latest()).latest).toMatchObject({
        status: "expired",
        downloadUrl: null,
      });

      expect(await expireDataExports(db())).toBe(1);
      const [row] = await db().select().from(dataExports).where(eq(dataExports.id, exportId));
      expect(row).toMatchObject({ status: "expired", storagePath: null });
      await drainStorageDeletions(db(), storage);
      expect(await storage.stat(dataExportPath(ann.id, exportId))).toBeNull();
      expect((await download(ann, exportId)).status).toBe(404);
    });

    it("retries a failed build with a wait, then gives up into the dead letters", async () => {
      const failing = new FailingStorage(root, ATTACHMENT_BUCKET);
      const { id } = await (await callerFor(bob)).dataExports.request();
      const mailsBefore = mails.length;
      for (let attempt = 1; attempt <= DATA_EXPORT_MAX_ATTEMPTS; attempt++) {
        const outcomes = await runDataExports(deps({ storage: failing }));
        expect(outcomes.map((o) => o.result)).toEqual([
          attempt < DATA_EXPORT_MAX_ATTEMPTS ? "retry" : "failed",
        ]);
        const [row] = await db().select().from(dataExports).where(eq(dataExports.id, id));
        if (attempt < DATA_EXPORT_MAX_ATTEMPTS) {
          expect(row).toMatchObject({ status: "queued", attempts: attempt, progress: 0 });
          expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
          // Nothing is due until the wait is over.
          expect(await runDataExports(deps({ storage: failing }))).toEqual([]);
          await db()
            .update(dataExports)
            .set({ nextAttemptAt: new Date() })
            .where(eq(dataExports.id, id));
        } else {
          expect(row).toMatchObject({ status: "failed", attempts: DATA_EXPORT_MAX_ATTEMPTS });
          expect(row!.error).toMatch(/storage is down/);
        }
      }
      const letters = await db()
        .select()
        .from(deadLetters)
        .where(eq(deadLetters.queue, "data_exports"));
      expect(letters).toEqual([
        expect.objectContaining({ payload: { exportId: id, userId: bob.id } }),
      ]);
      expect(mails).toHaveLength(mailsBefore);
      // A failed request does not count against the interval: Bob may ask again.
      expect(await (await callerFor(bob)).dataExports.request()).toMatchObject({
        status: "queued",
      });
    });

    it("stops a run that lost its lease, leaving the new try alone", async () => {
      const pending = await db()
        .select({ id: dataExports.id })
        .from(dataExports)
        .where(sql`${dataExports.userId} = ${bob.id} and ${dataExports.status} = 'queued'`);
      expect(pending).toHaveLength(1);
      const id = pending[0]!.id;
      // While this run starts, another process claims the same export (its next try).
      const overtaken = new (class extends LocalStorageDriver {
        override async remove(paths: string[]): Promise<void> {
          await db()
            .update(dataExports)
            .set({ attempts: sql`${dataExports.attempts} + 1` })
            .where(eq(dataExports.id, id));
          return super.remove(paths);
        }
      })(root, ATTACHMENT_BUCKET);
      const outcomes = await runDataExports(deps({ storage: overtaken }));
      expect(outcomes).toEqual([expect.objectContaining({ id, result: "gone" })]);
      const [row] = await db().select().from(dataExports).where(eq(dataExports.id, id));
      expect(row).toMatchObject({ status: "running", progress: 0, storagePath: null });
      await db()
        .update(dataExports)
        .set({ status: "queued", nextAttemptAt: new Date() })
        .where(eq(dataExports.id, id));
    });

    it("takes over an export whose worker stopped once its lease is over", async () => {
      const [stalled] = await queryRows<{ id: string }>(
        db(),
        sql`update public.data_exports set status = 'running', attempts = 1,
            "nextAttemptAt" = now() - interval '1 second', "leasedUntil" = now() - interval '1 second'
          where "userId" = ${bob.id}::uuid and status = 'queued' returning id`,
      );
      const outcomes = await runDataExports(deps());
      expect(outcomes).toEqual([expect.objectContaining({ id: stalled!.id, result: "ready" })]);
    });

    it("removes a person's archives with the person", async () => {
      const [ready] = await db()
        .select({ path: dataExports.storagePath })
        .from(dataExports)
        .where(eq(dataExports.userId, bob.id))
        .orderBy(sql`${dataExports.createdAt} desc`)
        .limit(1);
      expect(ready!.path).toBe(dataExportPath(bob.id, (await latestId(bob))!));
      expect(await storage.stat(ready!.path!)).not.toBeNull();
      await db().delete(user).where(eq(user.id, bob.id));
      await drainStorageDeletions(db(), storage);
      expect(await storage.stat(ready!.path!)).toBeNull();
    });

    async function latestId(who: TestUser): Promise<string | undefined> {
      const [row] = await db()
        .select({ id: dataExports.id })
        .from(dataExports)
        .where(eq(dataExports.userId, who.id))
        .orderBy(sql`${dataExports.createdAt} desc`)
        .limit(1);
      return row?.id;
    }
  });
}
