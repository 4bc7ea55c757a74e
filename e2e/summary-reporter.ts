import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";

/** Ends the run with one plain line, `playwright: N passed, N failed, N skipped`, for CI logs. */
export default class SummaryReporter implements Reporter {
  private counts = { passed: 0, failed: 0, skipped: 0 };
  private final = new Map<TestCase, TestResult["status"]>();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.final.set(test, result.status);
  }

  onEnd(result: FullResult): void {
    for (const status of this.final.values()) {
      if (status === "passed") this.counts.passed++;
      else if (status === "skipped") this.counts.skipped++;
      else this.counts.failed++;
    }
    // A run that failed before any test (the web server did not start) is a failure too.
    if (result.status !== "passed" && this.counts.failed === 0) this.counts.failed = 1;
    const { passed, failed, skipped } = this.counts;
    process.stdout.write(`\nplaywright: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
