import "server-only";

/**
 * When a failed delivery is tried again: the schedule Standard Webhooks recommends (waits
 * growing from seconds to hours, about a day and a half in all; docs/WEBHOOKS.md lists them),
 * each wait stretched or shrunk by up to a tenth at random so endpoints that failed together
 * do not all come back at once.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

const JITTER = 0.1;

/**
 * The wait before the next attempt after `attempts` failed ones, or null when that was the
 * last one the schedule allows.
 */
export function retryDelayMs(
  attempts: number,
  delays: readonly number[] = RETRY_DELAYS_MS,
  random: () => number = Math.random,
): number | null {
  const base = delays[attempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}
