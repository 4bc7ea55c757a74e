import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withRls } from "@/db/rls";
import { linkPreviewJobs, messageLinkPreviews } from "@/db/schema";
import type { DomainEvent } from "@/server/realtime/events";
import { useTestDatabase } from "@/test/database";
import { codeOf, outcome } from "@/test/errors";
import { callerFor, signUp, type TestUser, actorOf } from "@/test/users";
import {
  drainLinkPreviews,
  LINK_PREVIEW_MAX_ATTEMPTS,
  type LinkPreviewDeps,
} from "./link-previews";

const database = useTestDatabase();

/** A site on loopback, allowed for these tests as LINK_PREVIEW_ALLOWED_ADDRESSES would. */
let site: http.Server;
let base: string;
let beforeAnswer: (() => Promise<void>) | null = null;
const published: DomainEvent[] = [];
const deps: LinkPreviewDeps = {
  fetch: { timeoutMs: 3000, maxBytes: 64 * 1024, ports: "any", allowedAddresses: ["127.0.0.1"] },
  publish: (event) => published.push(event),
};

beforeAll(async () => {
  site = http.createServer((req, res) => {
    const answer = () => {
      const path = req.url ?? "/";
      if (path.startsWith("/broken")) {
        res.writeHead(503).end();
        return;
      }
      const name = path.slice(1);
      res.writeHead(200, { "content-type": "text/html" }).end(
        `<head><title>Article ${name}</title>
         <meta property="og:description" content="About ${name}">
         <meta property="og:site_name" content="Loopback News"></head>`,
      );
    };
    const hook = beforeAnswer;
    beforeAnswer = null;
    if (hook) void hook().then(answer);
    else answer();
  });
  site.listen(0, "127.0.0.1");
  await once(site, "listening");
  base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

afterAll(async () => {
  site.closeAllConnections();
  await new Promise((resolve) => site.close(resolve));
});

beforeEach(() => {
  published.length = 0;
});

const jobs = () => database.handle.db.select().from(linkPreviewJobs);
const previewOf = async (messageId: string) =>
  (
    await database.handle.db
      .select()
      .from(messageLinkPreviews)
      .where(eq(messageLinkPreviews.messageId, messageId))
  )[0];
/** Makes every waiting job due now, as if its lease had run out. */
const leasesRunOut = () =>
  database.handle.db.execute(sql`update public.link_preview_jobs set "nextAttemptAt" = now()`);

describe("link previews", () => {
  let alice: TestUser;
  let bob: TestUser;
  let mallory: TestUser;
  let chatId: string;

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    mallory = await signUp("Mallory");
    chatId = (await (await callerFor(alice)).chats.createDirect({ userId: bob.id })).id;
  });

  it("previews a message's first link after the send, for the chat's members only", async () => {
    const asAlice = await callerFor(alice);
    const sent = await asAlice.messages.send({
      chatId,
      content: `read [this](${base}/one) and ${base}/two`,
    });
    expect(sent.linkPreview).toBeNull();
    expect(await jobs()).toMatchObject([{ messageId: sent.id, url: `${base}/one`, attempts: 0 }]);

    expect(await drainLinkPreviews(database.handle.db, deps)).toBe(1);
    expect(await jobs()).toEqual([]);
    expect(published).toEqual([
      {
        type: "message.updated",
        chatId,
        messageId: sent.id,
        seq: sent.seq,
        memberIds: [],
      },
    ]);
    const page = await (await callerFor(bob)).messages.list({ chatId });
    expect(page.messages.find((m) => m.id === sent.id)?.linkPreview).toEqual({
      url: `${base}/one`,
      title: "Article one",
      description: "About one",
      siteName: "Loopback News",
    });

    // Nobody outside the chat reads it, and no request role reads the queue or writes either.
    expect(await withRls(actorOf(mallory), (tx) => tx.select().from(messageLinkPreviews))).toEqual(
      [],
    );
    expect(await outcome(withRls(actorOf(alice), (tx) => tx.select().from(linkPreviewJobs)))).toBe(
      "42501",
    );
    expect(
      await outcome(
        withRls(actorOf(alice), (tx) =>
          tx
            .update(messageLinkPreviews)
            .set({ title: "Forged" })
            .where(eq(messageLinkPreviews.messageId, sent.id)),
        ),
      ),
    ).toBe("42501");
  });

  it("follows edits: another link is fetched again, no link leaves no preview, deletion none", async () => {
    const asAlice = await callerFor(alice);
    const sent = await asAlice.messages.send({ chatId, content: `${base}/first` });
    await drainLinkPreviews(database.handle.db, deps);
    expect((await previewOf(sent.id))?.title).toBe("Article first");

    await asAlice.messages.edit({ messageId: sent.id, content: `now ${base}/second` });
    expect(await previewOf(sent.id)).toBeUndefined();
    await drainLinkPreviews(database.handle.db, deps);
    expect((await previewOf(sent.id))?.title).toBe("Article second");

    await asAlice.messages.edit({ messageId: sent.id, content: "no link any more" });
    expect(await previewOf(sent.id)).toBeUndefined();
    expect(await jobs()).toEqual([]);

    await asAlice.messages.edit({ messageId: sent.id, content: `${base}/third` });
    await asAlice.messages.delete({ messageId: sent.id });
    expect(await jobs()).toEqual([]);
    expect(await drainLinkPreviews(database.handle.db, deps)).toBe(0);
    expect(await previewOf(sent.id)).toBeUndefined();
  });

  it("stores nothing stale when the message is edited while its page is fetched", async () => {
    const asAlice = await callerFor(alice);
    const sent = await asAlice.messages.send({ chatId, content: `${base}/old` });
    beforeAnswer = async () => {
      await asAlice.messages.edit({ messageId: sent.id, content: `${base}/new` });
    };
    expect(await drainLinkPreviews(database.handle.db, deps)).toBe(1);
    expect((await previewOf(sent.id))?.title).toBe("Article new");
    expect(await jobs()).toEqual([]);
  });

  it("gives up a refused page at once, and a failing one after its last attempt", async () => {
    const asAlice = await callerFor(alice);
    const refused = await asAlice.messages.send({
      chatId,
      content: "http://169.254.169.254/latest",
    });
    const failing = await asAlice.messages.send({ chatId, content: `${base}/broken` });
    expect(await drainLinkPreviews(database.handle.db, deps)).toBe(0);
    // The refused one is gone; the failing one waits out its lease, not claimed meanwhile.
    expect(await jobs()).toMatchObject([{ messageId: failing.id, attempts: 1 }]);
    expect(await drainLinkPreviews(database.handle.db, deps)).toBe(0);
    expect(await jobs()).toMatchObject([{ messageId: failing.id, attempts: 1 }]);
    for (let attempt = 2; attempt <= LINK_PREVIEW_MAX_ATTEMPTS; attempt++) {
      await leasesRunOut();
      await drainLinkPreviews(database.handle.db, deps);
    }
    expect(await jobs()).toEqual([]);
    expect(await previewOf(refused.id)).toBeUndefined();
    expect(await previewOf(failing.id)).toBeUndefined();
  });

  it("lets a sender queue a preview only for their own live message", async () => {
    const sent = await (await callerFor(bob)).messages.send({ chatId, content: "mine" });
    const queue = (who: TestUser) =>
      withRls(actorOf(who), (tx) =>
        tx.execute(sql`select public.queue_link_preview(${sent.id}::uuid, ${`${base}/x`})`),
      );
    expect(await outcome(queue(alice))).toBe("P0002");
    expect(await outcome(queue(mallory))).toBe("P0002");
    expect(await outcome(queue(bob))).toBe("ok");
    expect(
      await codeOf((await callerFor(mallory)).messages.edit({ messageId: sent.id, content: "x" })),
    ).toBe("NOT_FOUND");
  });
});
