import type { Reporter, TestCase, TestModule } from "vitest/node";
import { SKIPPED_BECAUSE } from "./requirements";

/** The name of the skipped suite a test is in, with its reason, if it was skipped for one. */
function skippedBecause(test: TestCase): string | null {
  for (let suite = test.parent; suite.type === "suite"; suite = suite.parent) {
    if (suite.name.includes(SKIPPED_BECAUSE)) return suite.name;
  }
  return null;
}

/**
 * Ends the run with what was skipped and why, then one plain line,
 * `vitest: N passed, N failed, N skipped`, for CI logs.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const skipped = new Map<string, number>();
    for (const testModule of testModules) {
      let failedTests = 0;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") {
          counts.failed++;
          failedTests++;
        } else {
          counts.skipped++;
          const what = `${testModule.relativeModuleId}: ${skippedBecause(test) ?? test.fullName}`;
          skipped.set(what, (skipped.get(what) ?? 0) + 1);
        }
      }
      // A file that failed to load, or whose setup hook threw (its tests then count as
      // skipped), has no failed test to count: count the file as a failure.
      if (testModule.state() === "failed" && failedTests === 0) counts.failed++;
    }
    counts.failed += unhandledErrors.length;
    const lines = [...skipped].map(([what, n]) => `  ${what} (${n} ${n === 1 ? "test" : "tests"})`);
    process.stdout.write(
      (lines.length ? `\nskipped:\n${lines.join("\n")}\n` : "") +
        `\nvitest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
    );
  }
}
