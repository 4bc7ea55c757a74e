import fs from "node:fs";
import path from "node:path";
import { RESULTS_DIR } from "./config";
import { round } from "./stats";

/** One benchmark's outcome, in the shape `bench/results/<name>.json` is written. */
export interface BenchResult {
  name: string;
  metric: string;
  value: number;
  unit: string;
  reference: { name: string; value: number };
  /** Higher is better and 1 is parity with the reference; each benchmark says what it divides. */
  ratio: number;
  target: string;
  met: boolean;
  details: Record<string, unknown>;
}

export function writeResult(result: BenchResult): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${result.name}.json`);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
  fs.renameSync(tmp, file);
  return file;
}

const fmt = (v: number) => (Number.isFinite(v) ? String(round(v, 2)) : String(v));

/** The table printed at the end of a run (also the shape docs/PERFORMANCE.md keeps). */
export function formatTable(results: BenchResult[]): string {
  const header = ["benchmark", "metric", "value", "reference", "ratio", "target", "met"];
  const rows = results.map((r) => [
    r.name,
    r.metric,
    `${fmt(r.value)} ${r.unit}`,
    `${r.reference.name}: ${fmt(r.reference.value)}`,
    fmt(r.ratio),
    r.target,
    r.met ? "yes" : "NO",
  ]);
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
