import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_DELETION_PATH } from "@/contracts/account-deletion";
import { avatarObjectPath, avatarUrl } from "@/contracts/avatar-paths";
import { withRls } from "@/db/rls";
import { queryRows } from "@/db/rows";
import {
  accountDeletions,
  apiAuditLogs,
  deadLetters,
  devMailbox,
  invitation,
  messages,
  passkey,
  pushSubscriptions,
  session,
  twoFactor,
  user,
  userStatuses,
  verification,
} from "@/db/schema";
import { eraseDueAccounts, ACCOUNT_ERASURE_REPORT_AFTER } from "@/server/accounts/deletion/worker";
import { getAuth } from "@/server/auth";
import { startSecurityNotices } from "@/server/auth-security-notices";
import { uploadAttachment } from "@/server/http/uploads";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { drainStorageDeletions } from "@/server/jobs/storage-cleanup";
import type { MailMessage } from "@/server/mail/message";
import { verifyApiKey } from "@/server/services/verify-api-key";
import { setStorage } from "@/server/storage";
import { ATTACHMENT_BUCKET } from "@/server/storage/driver";
import { LocalStorageDriver } from "@/server/storage/local";
import { AuthBrowser } from "@/test/auth-browser";
import { useTestDatabase, type TestDriver } from "@/test/database";
import {
  actorOf,
  callerFor,
  signInAgain,
  signUp,
  TEST_PASSWORD,
  type TestUser,
} from "@/test/users";
import { joinWorkspace } from "@/test/workspace";

const APP_URL = "http://parley.test";

interface Person {
  who: TestUser;
  apiKey: string;
  avatarPath: string;
  filePath: string;
  groupId: string;
  directId: string;
  workspaceId: string;
}

/**
 * Account deletion end to end on one database engine: asking (password, choice, limits),
 * signing in to cancel, an admin starting and cancelling it, and the erasure itself — after
 * which no text column anywhere holds the person's name or address. Better Auth binds to the
 * first database a process opens, so each engine runs in its own file
 * (server/accounts/deletion/).
 */
export function accountDeletionSuite(driver: TestDriver): void {
  describe(`account deletion on ${driver}`, () => {
    const database = useTestDatabase(driver);
    const db = () => database.handle.db;
    let root: string;
    let storage: LocalStorageDriver;
    const sent: MailMessage[] = [];
    let admin: TestUser;
    let bob: TestUser;

    const erase = () =>
      eraseDueAccounts({
        db: db(),
        send: (mail) => {
          sent.push(mail);
          return Promise.resolve();
        },
      });

    const mailTo = (email: string) =>
      db().select({ subject: devMailbox.subject }).from(devMailbox).where(eq(devMailbox.to, email));

    const due = (userId: string) =>
      db()
        .update(accountDeletions)
        .set({ eraseAfter: new Date(Date.now() - 1000) })
        .where(eq(accountDeletions.userId, userId));

    /** Every row of every text, JSON and array column in the public schema that holds `needle`. */
    async function columnsHolding(needle: string): Promise<string[]> {
      const columns = await queryRows<{ table: string; column: string }>(
        db(),
        sql`select c.table_name as "table", c.column_name as "column"
            from information_schema.columns c
            join information_schema.tables t
              on t.table_schema = c.table_schema and t.table_name = c.table_name
            where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
              and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
      );
      const found: string[] = [];
      for (const { table, column } of columns) {
        const [hit] = await queryRows<{ n: number }>(
          db(),
          sql`select count(*)::int as n from public.${sql.identifier(table)}
              where strpos(lower(${sql.identifier(column)}::text), lower(${needle})) > 0`,
        );
        if (hit && hit.n > 0) found.push(`${table}.${column} (${hit.n})`);
      }
      return found;
    }

    /** A person with something in every place Parley keeps personal data. */
    async function personWithData(name: string): Promise<Person> {
      const who = await signUp(name, { workspace: "own" });
      const workspaceId = who.organizationId;
      await joinWorkspace(workspaceId, [bob.id]);
      const bobHere = { ...bob, organizationId: workspaceId };
      const calls = await callerFor(who);
      const bobCalls = await callerFor(bobHere);

      const groupId = (await calls.chats.createGroup({ name: "Garden club", memberIds: [bob.id] }))
        .id;
      const directId = (await calls.chats.createDirect({ userId: bob.id })).id;
      const form = new FormData();
      form.append("file", new Blob(["seed list\n"], { type: "text/plain" }), "seeds.txt");
      const uploaded = await uploadAttachment(
        new Request(`${APP_URL}/api/chats/${groupId}/attachments`, {
          method: "POST",
          body: form,
          headers: who.headers,
        }),
        groupId,
      );
      expect(uploaded.status).toBe(201);
      const { id: attachmentId } = (await uploaded.json()) as { id: string };
      const [{ storagePath: filePath }] = (await queryRows<{ storagePath: string }>(
        db(),
        sql`select "storagePath" from public.message_attachments where id = ${attachmentId}::uuid`,
      )) as [{ storagePath: string }];

      const first = await calls.messages.send({ chatId: groupId, content: "The tulips are up" });
      await calls.messages.edit({ messageId: first.id, content: "The tulips are finally up" });
      await calls.messages.send({ chatId: groupId, content: "", attachmentIds: [attachmentId] });
      await calls.messages.send({ chatId: directId, content: "Lunch on Friday?" });
      const fromBob = await bobCalls.messages.send({
        chatId: groupId,
        content: `<@${who.id}> lovely, thanks`,
      });
      await calls.messages.react({ messageId: fromBob.id, emoji: "🌷" });
      await calls.metas.set({ key: "bio", value: `${name} grows tulips; write to ${who.email}` });
      const { secret: apiKey } = await calls.apiKeys.create({
        name: `${name}'s key`,
        scopes: ["profile:read"],
      });

      const avatar = { userId: who.id, hash: "0123456789abcdef" };
      const avatarPath = avatarObjectPath(avatar);
      await storage.put(avatarPath, Readable.from([Buffer.from("picture")]));
      await db()
        .update(user)
        .set({ image: avatarUrl(avatar) })
        .where(eq(user.id, who.id));
      await db()
        .insert(userStatuses)
        .values({ userId: who.id, emoji: "🌷", text: `${name} is gardening` });
      await db()
        .insert(passkey)
        .values({
          userId: who.id,
          name: `${name}'s phone`,
          publicKey: "pk",
          credentialID: `cred-${who.id}`,
          deviceType: "multiDevice",
          backedUp: true,
        });
      await db().insert(twoFactor).values({ userId: who.id, secret: "s", backupCodes: "c" });
      await db()
        .insert(verification)
        .values({
          identifier: `trust-device-${who.id}`,
          value: who.id,
          expiresAt: new Date(Date.now() + 3_600_000),
        });
      await db()
        .insert(pushSubscriptions)
        .values({
          userId: who.id,
          endpoint: `https://push.example.test/${who.id}`,
          p256dh: "B".repeat(87),
          auth: "a".repeat(22),
          userAgent: `${name}'s browser`,
        });
      await db()
        .insert(invitation)
        .values({
          organizationId: bob.organizationId,
          email: who.email,
          inviterId: bob.id,
          expiresAt: new Date(Date.now() + 3_600_000),
        });
      return { who, apiKey, avatarPath, filePath, groupId, directId, workspaceId };
    }

    let stopNotices: () => void;

    beforeAll(async () => {
      stopNotices = startSecurityNotices();
      root = await fs.mkdtemp(path.join(os.tmpdir(), "parley-erasure-"));
      storage = new LocalStorageDriver(root, ATTACHMENT_BUCKET);
      setStorage(storage);
      admin = await signUp("Root", { role: "admin" });
      bob = await signUp("Bob Gardener");
    });

    afterAll(async () => {
      stopNotices();
      await fs.rm(root, { recursive: true, force: true });
    });

    it("asks for the password and a choice, and schedules nothing without them", async () => {
      const who = await signUp("Nora Checks");
      const browser = new AuthBrowser(who);
      expect((await new AuthBrowser().post(ACCOUNT_DELETION_PATH, {})).status).toBe(401);

      const wrong = await browser.post(ACCOUNT_DELETION_PATH, {
        password: "not the password",
        messages: "keep",
      });
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toMatchObject({
        code: "INVALID_PASSWORD",
        message: "Your password is not right",
      });
      for (const body of [
        { password: TEST_PASSWORD },
        { password: TEST_PASSWORD, messages: "burn" },
      ]) {
        const refused = await browser.post(ACCOUNT_DELETION_PATH, body);
        expect(refused.status, JSON.stringify(body)).toBe(400);
      }
      // ACCOUNT_DELETION_LIMIT (3 a minute from one address) holds off guessing the password.
      const limited = await browser.post(ACCOUNT_DELETION_PATH, {
        password: TEST_PASSWORD,
        messages: "keep",
      });
      expect(limited.status).toBe(429);
      for (const body of [{ messages: "keep" }, { password: 42, messages: "keep" }]) {
        const refused = await new AuthBrowser(who).post(ACCOUNT_DELETION_PATH, body);
        expect(refused.status, JSON.stringify(body)).toBe(400);
      }
      expect(
        await db().select().from(accountDeletions).where(eq(accountDeletions.userId, who.id)),
      ).toEqual([]);
      // Still signed in.
      expect(await (await callerFor(who)).me.get()).toMatchObject({ id: who.id });
    });

    it("schedules it, signs out everywhere, stops API keys, mails and audits; signing in cancels it", async () => {
      const who = await signUp("Olive Leaves");
      const other = await signInAgain(who);
      const { secret } = await (
        await callerFor(who)
      ).apiKeys.create({ name: "bot", scopes: ["profile:read"] });
      const browser = new AuthBrowser(who);

      const asked = await browser.post(ACCOUNT_DELETION_PATH, {
        password: TEST_PASSWORD,
        messages: "blank",
      });
      expect(asked.status).toBe(200);
      const { eraseAfter } = (await asked.json()) as { eraseAfter: string };
      const days = (new Date(eraseAfter).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThanOrEqual(30);
      expect(browser.has("session_token")).toBe(false);

      expect(await db().select().from(session).where(eq(session.userId, who.id))).toEqual([]);
      await expect(callerFor(other).then((c) => c.me.get())).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
      await expect(verifyApiKey(secret)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      expect(await mailTo(who.email)).toContainEqual({
        subject: "Parley: your account will be deleted",
      });
      expect(
        await db().select().from(accountDeletions).where(eq(accountDeletions.userId, who.id)),
      ).toMatchObject([{ messages: "blank", requestedBy: who.id }]);

      const back = await signInAgain(who);
      expect(
        await db().select().from(accountDeletions).where(eq(accountDeletions.userId, who.id)),
      ).toEqual([]);
      expect(await (await callerFor(back)).me.get()).toMatchObject({ id: who.id });
      await expect(verifyApiKey(secret)).resolves.toMatchObject({ userId: who.id });
      expect(await mailTo(who.email)).toContainEqual({
        subject: "Parley: your account will not be deleted",
      });

      await createAuditFlusher(db()).flush();
      const trail = await db()
        .select({ details: apiAuditLogs.details, status: apiAuditLogs.statusCode })
        .from(apiAuditLogs)
        .where(eq(apiAuditLogs.userId, who.id));
      const actions = trail.map((r) => (r.details as { action?: string } | null)?.action);
      expect(actions).toContain("account.deletion_requested");
      expect(actions).toContain("account.deletion_cancelled");
    });

    it("holds the rules in the database: own row only, no direct writes, erasure closed to requests", async () => {
      const who = await signUp("Pia Rules");
      const mallory = await signUp("Mallory");
      // The erasure's shortcut past message history is not a request's to take.
      const calls = await callerFor(who);
      const chat = await calls.chats.createGroup({ name: "Notes", memberIds: [bob.id] });
      const sent = await calls.messages.send({ chatId: chat.id, content: "first thoughts" });
      await withRls(actorOf(who), async (tx) => {
        await tx.execute(sql`select set_config('parley.erasing', ${who.id}, true)`);
        await tx.execute(
          sql`update public.messages set content = 'second thoughts' where id = ${sent.id}::uuid`,
        );
      });
      const [history] = await queryRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from public.message_edits where "messageId" = ${sent.id}::uuid`,
      );
      expect(history?.n).toBe(1);
      await withRls(who.id, (tx) =>
        tx.execute(sql`select public.request_account_deletion('keep', 30)`),
      );
      // Only the bound person is scheduled, and only they (and admins) see the row.
      expect(
        await withRls(mallory.id, (tx) =>
          tx.select({ userId: accountDeletions.userId }).from(accountDeletions),
        ),
      ).toEqual([]);
      expect(
        await withRls(who.id, (tx) =>
          tx.select({ userId: accountDeletions.userId }).from(accountDeletions),
        ),
      ).toEqual([{ userId: who.id }]);
      for (const statement of [
        sql`insert into public.account_deletions ("userId", messages, "eraseAfter") values (${mallory.id}::uuid, 'keep', now())`,
        sql`update public.account_deletions set "eraseAfter" = now()`,
        sql`delete from public.account_deletions`,
        sql`select public.erase_account(${who.id}::uuid)`,
        sql`select public.schedule_account_deletion(${who.id}::uuid, ${mallory.id}::uuid, 'keep', 0)`,
        sql`select public.admin_request_account_deletion(${who.id}::uuid, 'keep', 0)`,
        sql`select public.admin_cancel_account_deletion(${who.id}::uuid)`,
        sql`update public."user" set "deletedAt" = now() where id = ${mallory.id}::uuid`,
        sql`select public.request_account_deletion('everything', 30)`,
      ]) {
        await expect(
          withRls(mallory.id, (tx) => tx.execute(statement)),
          statement.queryChunks.map(String).join(""),
        ).rejects.toThrow();
      }
      const [row] = await db()
        .select()
        .from(accountDeletions)
        .where(eq(accountDeletions.userId, who.id));
      expect(row).toMatchObject({ messages: "keep", requestedBy: who.id, attempts: 0 });
      // The database refuses values the app never writes.
      await expect(
        db()
          .insert(accountDeletions)
          .values({
            userId: mallory.id,
            messages: "shred" as "keep",
            eraseAfter: new Date(),
          }),
      ).rejects.toThrow();
      await expect(
        db().insert(accountDeletions).values({
          userId: mallory.id,
          messages: "keep",
          eraseAfter: new Date(),
          attempts: -1,
        }),
      ).rejects.toThrow();
    });

    it("lets an admin start and cancel the same deletion, never their own, and keeps one admin", async () => {
      const target = await signUp("Quinn Target");
      const api = await callerFor(admin);
      const scheduled = await api.admin.users.requestDeletion({
        userId: target.id,
        messages: "keep",
      });
      expect(scheduled.eraseAfter.getTime()).toBeGreaterThan(Date.now());
      const listed = await api.admin.users.list({ search: target.email });
      expect(listed.items).toEqual([
        expect.objectContaining({ deletionScheduledFor: scheduled.eraseAfter, deletedAt: null }),
      ]);
      expect(await db().select().from(session).where(eq(session.userId, target.id))).toEqual([]);
      await expect
        .poll(() => mailTo(target.email))
        .toContainEqual({ subject: "Parley: your account will be deleted" });

      expect(await api.admin.users.cancelDeletion({ userId: target.id })).toEqual({
        wasPending: true,
      });
      expect(await api.admin.users.cancelDeletion({ userId: target.id })).toEqual({
        wasPending: false,
      });

      const refusal = (call: Promise<unknown>) =>
        call.then(
          () => "accepted",
          (error: TRPCError) => error.code,
        );
      expect(
        await refusal(
          (await callerFor(bob)).admin.users.requestDeletion({
            userId: target.id,
            messages: "keep",
          }),
        ),
      ).toBe("FORBIDDEN");
      expect(
        await refusal(api.admin.users.requestDeletion({ userId: admin.id, messages: "keep" })),
      ).toBe("FORBIDDEN");
      expect(
        await refusal(
          api.admin.users.requestDeletion({
            userId: "00000000-0000-4000-8000-000000000000",
            messages: "keep",
          }),
        ),
      ).toBe("NOT_FOUND");

      // The only admin cannot delete their own account and leave the site without one.
      const lone = await new AuthBrowser(admin).post(ACCOUNT_DELETION_PATH, {
        password: TEST_PASSWORD,
        messages: "keep",
      });
      expect(lone.status).toBe(409);
      expect(await lone.json()).toMatchObject({
        message: expect.stringMatching(/only admin/) as unknown,
      });

      await createAuditFlusher(db()).flush();
      const rows = await db()
        .select({ details: apiAuditLogs.details, actorId: apiAuditLogs.actorId })
        .from(apiAuditLogs)
        .where(eq(apiAuditLogs.userId, target.id));
      expect(rows).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actorId: admin.id,
            details: expect.objectContaining({ action: "account.deletion_requested" }) as unknown,
          }),
          expect.objectContaining({
            actorId: admin.id,
            details: expect.objectContaining({ action: "account.deletion_cancelled" }) as unknown,
          }),
        ]),
      );
    });

    it("erases after the grace period, keeping messages without the name, and leaves no trace of name or address", async () => {
      const zelda = await personWithData("Zelda Quartermaine");
      const { who } = zelda;
      const browser = new AuthBrowser(who);
      const asked = await browser.post(ACCOUNT_DELETION_PATH, {
        password: TEST_PASSWORD,
        messages: "keep",
      });
      expect(asked.status).toBe(200);
      // Not due yet: nothing happens.
      expect(await erase()).toEqual([]);
      await due(who.id);
      await createAuditFlusher(db()).flush();
      expect(await columnsHolding(who.email)).not.toEqual([]);

      expect(await erase()).toEqual([{ userId: who.id, result: "erased" }]);
      await createAuditFlusher(db()).flush();
      expect(sent).toContainEqual(
        expect.objectContaining({
          to: who.email,
          subject: "Parley: your account has been deleted",
        }),
      );

      const [tomb] = await db().select().from(user).where(eq(user.id, who.id));
      expect(tomb).toMatchObject({
        name: "Deleted user",
        email: `deleted-${who.id}@deleted.invalid`,
        image: null,
        emailVerified: false,
      });
      expect(tomb!.deletedAt).toBeInstanceOf(Date);
      expect(await columnsHolding(who.email)).toEqual([]);
      expect(await columnsHolding("Zelda Quartermaine")).toEqual([]);
      expect(await columnsHolding("Quartermaine")).toEqual([]);

      // Her sign-in methods and keys are gone.
      expect(
        (
          await getAuth().api.signInEmail({
            body: { email: who.email, password: TEST_PASSWORD },
            asResponse: true,
          })
        ).status,
      ).toBe(401);
      await expect(verifyApiKey(zelda.apiKey)).rejects.toMatchObject({ code: "UNAUTHORIZED" });

      // Her files leave storage once the outbox drains.
      await drainStorageDeletions(db(), storage);
      expect(await storage.stat(zelda.avatarPath)).toBeNull();
      expect(await storage.stat(zelda.filePath)).toBeNull();

      // Bob's chats keep their shape: her words stay, under "Deleted user"; the group is his.
      const bobCalls = await callerFor({ ...bob, organizationId: zelda.workspaceId });
      const page = await bobCalls.messages.list({ chatId: zelda.groupId });
      const hers = page.messages.filter((m) => m.sender?.id === who.id);
      expect(hers.map((m) => m.content)).toContain("The tulips are finally up");
      expect(hers.every((m) => m.sender?.name === "Deleted user")).toBe(true);
      const group = await bobCalls.chats.get({ chatId: zelda.groupId });
      expect(group).toMatchObject({ myRole: "owner" });
      const direct = await bobCalls.messages.list({ chatId: zelda.directId });
      expect(direct.messages.map((m) => m.content)).toContain("Lunch on Friday?");

      // Her personal workspace passed to Bob and no longer carries her name.
      const [workspace] = await queryRows<{ name: string; role: string }>(
        db(),
        sql`select o.name, m.role from public.organization o
            join public.member m on m."organizationId" = o.id and m."userId" = ${bob.id}::uuid
            where o.id = ${zelda.workspaceId}::uuid`,
      );
      expect(workspace).toEqual({ name: "Deleted user's workspace", role: "owner" });

      await createAuditFlusher(db()).flush();
      const erased = await db().select().from(apiAuditLogs).where(eq(apiAuditLogs.userId, who.id));
      expect(erased.every((r) => r.ipAddress === null && r.userAgent === null)).toBe(true);
      expect(erased.map((r) => (r.details as { action?: string }).action)).toContain(
        "account.erased",
      );
      expect(await erase()).toEqual([]);
    });

    it("blanks every message when that is the choice, with its history and reactions", async () => {
      const yuri = await personWithData("Yuri Blankenship");
      const { who } = yuri;
      await withRls(who.id, (tx) =>
        tx.execute(sql`select public.request_account_deletion('blank', 0)`),
      );
      // What the server audited of them is written long before a grace period ends.
      await createAuditFlusher(db()).flush();
      expect(await erase()).toEqual([{ userId: who.id, result: "erased" }]);

      const left = await db().select().from(messages).where(eq(messages.senderId, who.id));
      expect(left.length).toBeGreaterThan(0);
      expect(
        left.every((m) => m.type === "system" || (m.content === "" && m.deletedAt !== null)),
      ).toBe(true);
      const [history] = await queryRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from public.message_edits e
            join public.messages m on m.id = e."messageId" where m."senderId" = ${who.id}::uuid`,
      );
      expect(history?.n).toBe(0);
      const [reactions] = await queryRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from public.message_reactions where "userId" = ${who.id}::uuid`,
      );
      expect(reactions?.n).toBe(0);
      await createAuditFlusher(db()).flush();
      expect(await columnsHolding(who.email)).toEqual([]);
      expect(await columnsHolding("Yuri Blankenship")).toEqual([]);
    });

    it("replaces a name only in rows about the person, and an address everywhere", async () => {
      const lee = await signUp("Lee");
      await (await callerFor(lee)).apiKeys.create({ name: "Lee's key", scopes: ["profile:read"] });
      await (
        await callerFor(bob)
      ).apiKeys.create({
        name: `Leeds office, ask ${lee.email}`,
        scopes: ["profile:read"],
      });
      await withRls(lee.id, (tx) =>
        tx.execute(sql`select public.request_account_deletion('keep', 0)`),
      );
      await createAuditFlusher(db()).flush();
      expect(await erase()).toEqual([{ userId: lee.id, result: "erased" }]);
      const names = async (userId: string) =>
        (
          await db()
            .select({ details: apiAuditLogs.details })
            .from(apiAuditLogs)
            .where(eq(apiAuditLogs.userId, userId))
        )
          .map((r) => (r.details as { name?: string } | null)?.name)
          .filter(Boolean);
      expect(await names(lee.id)).toContain("Deleted user's key");
      expect(await names(bob.id)).toContain(`Leeds office, ask deleted-${lee.id}@deleted.invalid`);
    });

    it("does not erase a deletion a sign-in cancelled, and never lets an erased account sign in", async () => {
      const who = await signUp("Ruth Returns");
      await withRls(who.id, (tx) =>
        tx.execute(sql`select public.request_account_deletion('keep', 0)`),
      );
      await signInAgain(who);
      expect(await erase()).toEqual([]);
      expect((await db().select().from(user).where(eq(user.id, who.id)))[0]?.deletedAt).toBeNull();

      // A session row for an erased account is refused by the database itself.
      await withRls(who.id, (tx) =>
        tx.execute(sql`select public.request_account_deletion('keep', 0)`),
      );
      expect(await erase()).toEqual([{ userId: who.id, result: "erased" }]);
      await expect(
        db()
          .insert(session)
          .values({
            userId: who.id,
            token: `t-${who.id}`,
            expiresAt: new Date(Date.now() + 3_600_000),
          }),
      ).rejects.toThrow();
    });

    it("retries an erasure that fails, reports it after repeated failures, and finishes it once it can", async () => {
      const who = await signUp("Sam Stuck");
      await (await callerFor(who)).metas.set({ key: "colour", value: "teal" });
      await withRls(who.id, (tx) =>
        tx.execute(sql`select public.request_account_deletion('keep', 0)`),
      );
      // A fault in the middle of the erasure: the whole of it rolls back.
      await db().execute(
        sql`create function public.test_refuse_erasure() returns trigger language plpgsql
            as $$ begin raise exception 'storage of metas is down'; end $$`,
      );
      await db().execute(
        sql`create trigger test_refuse_erasure before delete on public.user_metas
            for each row execute function public.test_refuse_erasure()`,
      );
      try {
        const [failed] = await erase();
        expect(failed).toMatchObject({ userId: who.id, result: "retry" });
        const [row] = await db()
          .select()
          .from(accountDeletions)
          .where(eq(accountDeletions.userId, who.id));
        expect(row).toMatchObject({
          attempts: 1,
          error: expect.stringMatching(/metas is down/) as unknown,
        });
        expect(row!.eraseAfter.getTime()).toBeGreaterThan(Date.now());
        const [still] = await db().select().from(user).where(eq(user.id, who.id));
        expect(still).toMatchObject({ name: "Sam Stuck", deletedAt: null });

        await db()
          .update(accountDeletions)
          .set({ attempts: ACCOUNT_ERASURE_REPORT_AFTER - 1, eraseAfter: new Date(0) })
          .where(eq(accountDeletions.userId, who.id));
        await erase();
        const letters = await db()
          .select()
          .from(deadLetters)
          .where(eq(deadLetters.queue, "account_deletions"));
        expect(letters).toMatchObject([{ payload: { userId: who.id } }]);
      } finally {
        await db().execute(sql`drop trigger test_refuse_erasure on public.user_metas`);
        await db().execute(sql`drop function public.test_refuse_erasure()`);
      }
      await due(who.id);
      expect(await erase()).toEqual([{ userId: who.id, result: "erased" }]);
    });
  });
}
