import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Database } from "@/db/types";
import { recordAudit } from "@/server/audit/buffer";
import { describeError, setAside } from "@/server/jobs/dead-letters";
import { accountErasedMail } from "@/server/mail/account-deletion-mail";
import type { MailMessage } from "@/server/mail/message";

/** Failed tries after which a deletion is also set aside for an admin to see; it keeps trying. */
export const ACCOUNT_ERASURE_REPORT_AFTER = 5;
/** How often a process looks for accounts due to be erased. */
const EVERY_MS = 60_000;

export interface ErasureDeps {
  /** The owner connection: `erase_account` is closed to requests. */
  db: Database;
  /** The last mail to the address, sent once the erasure committed. */
  send: (mail: MailMessage) => Promise<void>;
  onMailError?: (error: unknown, userId: string) => void;
}

export interface ErasureOutcome {
  userId: string;
  result: "erased" | "gone" | "retry";
  error?: unknown;
}

interface Due {
  userId: string;
  email: string;
  name: string;
}

interface Erased {
  messages: "keep" | "blank";
  blanked: number;
  files: number;
  requestedBy: string | null;
}

async function dueAccounts(db: Database): Promise<Due[]> {
  return queryRows<Due>(
    db,
    sql`select d."userId", u.email, u.name
        from public.account_deletions d join public."user" u on u.id = d."userId"
        where d."eraseAfter" <= now()
        order by d."eraseAfter", d."userId"
        limit 50`,
  );
}

async function eraseOne(deps: ErasureDeps, due: Due): Promise<ErasureOutcome> {
  let erased: Erased | null;
  try {
    const [row] = await queryRows<{ erased: Erased | null }>(
      deps.db,
      sql`select public.erase_account(${due.userId}::uuid) as erased`,
    );
    erased = row?.erased ?? null;
  } catch (error) {
    // The next try waits a minute, then twice as long each time, at most six hours.
    const [failed] = await queryRows<{ attempts: number }>(
      deps.db,
      sql`update public.account_deletions
          set attempts = attempts + 1, error = left(${describeError(error)}, 2000),
              "eraseAfter" = now() + make_interval(secs => least(60 * power(2, least(attempts, 16)), 21600))
          where "userId" = ${due.userId}::uuid
          returning attempts`,
    );
    if (failed?.attempts === ACCOUNT_ERASURE_REPORT_AFTER) {
      await setAside(deps.db, "account_deletions", { userId: due.userId }, error, failed.attempts);
    }
    return { userId: due.userId, result: "retry", error };
  }
  // Cancelled by a sign-in between the listing and the erasure.
  if (!erased) return { userId: due.userId, result: "gone" };
  recordAudit({
    apiKeyId: null,
    userId: due.userId,
    actorId: erased.requestedBy,
    endpoint: "/jobs/account-erasure",
    method: "JOB",
    statusCode: 200,
    responseTime: null,
    ipAddress: null,
    userAgent: null,
    details: {
      action: "account.erased",
      messages: erased.messages,
      blanked: erased.blanked,
      files: erased.files,
    },
  });
  await deps
    .send(accountErasedMail({ to: due.email, name: due.name }))
    .catch((error: unknown) => deps.onMailError?.(error, due.userId));
  return { userId: due.userId, result: "erased" };
}

/**
 * Erases every account whose grace period is over, each in its own transaction
 * (`erase_account`: all of it or none). Instances share the queue: the function locks the
 * pending row and does nothing for one another instance erased or a sign-in cancelled. A
 * failed erasure is tried again later, waiting longer each time, and reported in
 * `dead_letters` once it has failed `ACCOUNT_ERASURE_REPORT_AFTER` times.
 */
export async function eraseDueAccounts(deps: ErasureDeps): Promise<ErasureOutcome[]> {
  const outcomes: ErasureOutcome[] = [];
  for (const due of await dueAccounts(deps.db)) outcomes.push(await eraseOne(deps, due));
  return outcomes;
}

/** Keeps this process erasing due accounts; never two runs at once. Returns a stop. */
export function startAccountErasure(
  deps: ErasureDeps & { onError: (error: unknown) => void },
): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    eraseDueAccounts(deps)
      .catch(deps.onError)
      .finally(() => (running = false));
  };
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  run();
  return () => clearInterval(timer);
}
