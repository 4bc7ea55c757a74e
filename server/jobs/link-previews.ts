import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Database } from "@/db/types";
import type { DomainEvent } from "@/server/realtime/events";
import {
  fetchPage,
  PreviewRefused,
  type FetchPageOptions,
} from "@/server/link-previews/fetch-page";
import { pageMetadata } from "@/server/link-previews/page-metadata";

/** Attempts at one preview (a timeout, a server error) before it is given up. */
export const LINK_PREVIEW_MAX_ATTEMPTS = 3;
/** Previews fetched at once by one process. */
const BATCH = 8;

/** How often a process looks for due previews besides being woken by a send. */
const POLL_MS = 15_000;

interface Job {
  messageId: string;
  url: string;
  attempts: number;
}

export interface LinkPreviewDeps {
  fetch: FetchPageOptions;
  publish: (event: DomainEvent) => void;
}

/**
 * Fetches the previews that are due, a batch at a time, until none is: each job is claimed
 * with `SKIP LOCKED` (so instances share the queue) and leased by moving its next attempt
 * forward before any fetch, so a crash loses nothing and a stuck page holds up nothing. A
 * preview is stored only if the message still links to that page, then the message's
 * members are told it changed. Refused pages (not public, not HTML, gone) are dropped at
 * once; others after `LINK_PREVIEW_MAX_ATTEMPTS`. Returns how many previews were stored.
 */
export async function drainLinkPreviews(db: Database, deps: LinkPreviewDeps): Promise<number> {
  let stored = 0;
  for (;;) {
    const jobs = await queryRows<Job>(
      db,
      sql`update public.link_preview_jobs j
          -- The lease: half a minute, doubling with each attempt. A process that dies
          -- mid-fetch leaves the job to be claimed again; a failed attempt waits it out.
          set attempts = j.attempts + 1,
              "nextAttemptAt" = now() + make_interval(secs => 30 * power(2, j.attempts))
          where j."messageId" in (
            select "messageId" from public.link_preview_jobs
            where "nextAttemptAt" <= now()
            order by "nextAttemptAt"
            limit ${BATCH}
            for update skip locked
          )
          returning j."messageId", j.url, j.attempts`,
    );
    if (jobs.length === 0) return stored;
    const results = await Promise.all(jobs.map((job) => runJob(db, deps, job)));
    stored += results.filter(Boolean).length;
  }
}

async function runJob(db: Database, deps: LinkPreviewDeps, job: Job): Promise<boolean> {
  try {
    return await storePreview(db, deps, job);
  } catch (error) {
    // A page that will never do, or a job that failed its last attempt however it failed
    // (a poisoned row included), is given up; any other waits out its lease.
    if (error instanceof PreviewRefused || job.attempts >= LINK_PREVIEW_MAX_ATTEMPTS) {
      await forget(db, job);
    }
    return false;
  }
}

async function storePreview(db: Database, deps: LinkPreviewDeps, job: Job): Promise<boolean> {
  const page = await fetchPage(job.url, deps.fetch);
  const metadata = pageMetadata(page.html);
  if (!metadata) throw new PreviewRefused("no title");
  const [written] = await queryRows<{ chatId: string; seq: number }>(
    db,
    sql`with job as (
          delete from public.link_preview_jobs
          where "messageId" = ${job.messageId}::uuid and url = ${job.url}
          returning "messageId"
        ),
        stored as (
          insert into public.message_link_previews
            ("messageId", "chatId", url, title, description, "siteName")
          select m.id, m."chatId", ${job.url}, ${metadata.title}, ${metadata.description}, ${metadata.siteName}
          from public.messages m join job on job."messageId" = m.id
          where m."deletedAt" is null
          on conflict ("messageId") do update
            set url = excluded.url, title = excluded.title, description = excluded.description,
                "siteName" = excluded."siteName", "fetchedAt" = now()
          returning "messageId", "chatId"
        )
        select s."chatId", m.seq::float8 as seq
        from stored s join public.messages m on m.id = s."messageId"`,
  );
  // Edited to another link meanwhile (its own job is queued), or deleted: nothing to show.
  if (!written) return false;
  // Those looking at the chat fetch the message again; a preview changes nothing in anyone's
  // chat list, so no member's user topic hears of it.
  deps.publish({
    type: "message.updated",
    chatId: written.chatId,
    messageId: job.messageId,
    seq: Number(written.seq),
    memberIds: [],
  });
  return true;
}

/** Gives up a job, unless the message was edited to another link in the meantime. */
async function forget(db: Database, job: Job): Promise<void> {
  await db.execute(
    sql`delete from public.link_preview_jobs where "messageId" = ${job.messageId}::uuid and url = ${job.url}`,
  );
}

/**
 * Keeps this process draining the queue: at start, whenever `wake` is called (a preview was
 * queued here), and every so often for those queued by other instances or left by a crash.
 * Never two drains at once; a wake-up during one runs another after it. Returns a stop.
 */
export function startLinkPreviewWorker(
  db: Database,
  deps: LinkPreviewDeps,
  options: { onError: (error: unknown) => void; subscribe: (wake: () => void) => () => void },
): () => void {
  let running = false;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    drainLinkPreviews(db, deps)
      .catch(options.onError)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const unsubscribe = options.subscribe(run);
  const timer = setInterval(run, POLL_MS);
  timer.unref();
  run();
  return () => {
    stopped = true;
    unsubscribe();
    clearInterval(timer);
  };
}
