import fc from "fast-check";
import { expect } from "vitest";
import { env } from "@/server/env";

/**
 * Runs per procedure or route, and the seed: fixed, so a run is repeatable and CI does not
 * flake on a new draw; `FUZZ_SEED` and `FUZZ_RUNS` explore further (a failure prints its seed).
 */
export const FUZZ_RUNS = env.FUZZ_RUNS;
export const FUZZ_SEED = env.FUZZ_SEED;

/** A response no input may cause: a 5xx, or a body that shows a stack trace. */
export async function expectNoServerFault(response: Response, what: string): Promise<void> {
  const body = await response.text();
  expect(response.status, `${what} → ${response.status} ${body.slice(0, 500)}`).toBeLessThan(500);
  expect(body, `${what} shows a stack`).not.toMatch(/\n\s+at [^\n]+:\d+:\d+/);
  expect(body, `${what} shows a stack`).not.toMatch(/"stack"\s*:/);
}

/**
 * Runs a property and, when it fails, reports what failed in a few lines: the response seen,
 * the seed and path that replay it (`FUZZ_SEED`), and the input, cut short.
 */
export async function checkProperty<T>(
  what: string,
  property: fc.IAsyncProperty<[T]>,
): Promise<void> {
  const outcome = await fc.check(property, {
    numRuns: FUZZ_RUNS,
    seed: FUZZ_SEED,
    endOnFailure: true,
  });
  if (!outcome.failed) return;
  const input = fc.stringify(outcome.counterexample?.[0]).slice(0, 400);
  const cause =
    outcome.errorInstance instanceof Error
      ? outcome.errorInstance.message
      : String(outcome.errorInstance);
  throw new Error(
    `${what} failed (seed ${outcome.seed}, path ${outcome.counterexamplePath}):\n${cause.slice(0, 800)}\ninput: ${input}`,
  );
}
