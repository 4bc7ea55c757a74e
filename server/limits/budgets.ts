import "server-only";

import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { rateLimit, type RateLimitResult } from "./rate-limit";

/** What a procedure or route spends beyond the general call limits: its own budget. */
export type Budget = "messages" | "reactions" | "uploads" | "apiKeys";

const BUDGETS: Record<Budget, { limit: () => number; noun: string }> = {
  messages: { limit: () => env.RATE_LIMIT_MESSAGES, noun: "messages" },
  reactions: { limit: () => env.RATE_LIMIT_REACTIONS, noun: "reactions" },
  uploads: { limit: () => env.RATE_LIMIT_UPLOADS, noun: "uploads" },
  apiKeys: { limit: () => env.RATE_LIMIT_API_KEYS, noun: "new API keys" },
};

export interface Refusal {
  message: string;
  retryAfterSeconds: number;
}

export interface CallCharge {
  /** The signed-in user, or null: anonymous calls count only against their address. */
  userId: string | null;
  /** The client address the HTTP layer pinned; null when there is none to count against. */
  address: string | null;
  mutation: boolean;
  budget?: Budget | undefined;
}

function refusal(result: RateLimitResult, what: string): Refusal {
  return {
    message: `Too many ${what} in a minute; try again in ${result.resetSeconds} s`,
    retryAfterSeconds: result.resetSeconds,
  };
}

/**
 * Counts one tRPC call against every window it falls in — the address's calls, the user's
 * calls and mutations, the procedure's budget — all at once, and refuses it when any is over.
 */
export async function chargeCall(charge: CallCharge): Promise<Refusal | null> {
  const checks: Promise<Refusal | null>[] = [];
  const count = (name: string, key: string, limit: number, what: string) =>
    checks.push(
      rateLimit(name)
        .hit(key, limit)
        .then((result) => (result.allowed ? null : refusal(result, what))),
    );
  if (charge.address) {
    count("calls-per-address", charge.address, env.RATE_LIMIT_CALLS_PER_ADDRESS, "requests");
  }
  if (charge.userId) {
    count("calls", charge.userId, env.RATE_LIMIT_CALLS, "requests");
    if (charge.mutation) count("mutations", charge.userId, env.RATE_LIMIT_MUTATIONS, "changes");
    if (charge.budget) {
      const budget = BUDGETS[charge.budget];
      count(`budget-${charge.budget}`, charge.userId, budget.limit(), budget.noun);
    }
  }
  const refusals = (await Promise.all(checks)).filter((r): r is Refusal => r !== null);
  // The longest wait is the one that lets the call through.
  return refusals.sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds)[0] ?? null;
}

/**
 * Counts `calls` against the address's window alone: a request refused before it reaches
 * a procedure (a batch too large to run) still spends what it asked for.
 */
export async function chargeAddress(address: string, calls: number): Promise<Refusal | null> {
  const result = await rateLimit("calls-per-address").hit(
    address,
    env.RATE_LIMIT_CALLS_PER_ADDRESS,
    calls,
  );
  return result.allowed ? null : refusal(result, "requests");
}

/** The 429 for a refusal; `retryAfterSeconds` in its details becomes `Retry-After`. */
export function tooManyRequests(refused: Refusal): AppError {
  return new AppError("TOO_MANY_REQUESTS", refused.message, {
    retryAfterSeconds: refused.retryAfterSeconds,
  });
}

/** Counts one use of a budget by a user (an upload route); throws the 429 when over. */
export async function spendBudget(budget: Budget, userId: string): Promise<void> {
  const { limit, noun } = BUDGETS[budget];
  const result = await rateLimit(`budget-${budget}`).hit(userId, limit());
  if (!result.allowed) throw tooManyRequests(refusal(result, noun));
}
