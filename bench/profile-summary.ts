/**
 * `tsx bench/profile-summary.ts <file.cpuprofile | dir> [top]`: where a CPU profile of the
 * server (BENCH_CPU_PROF=<dir> npm run bench …) spent its time, by package and by function
 * (self time). Given a directory, it reads its largest profile (the main thread's). Open the
 * same file in Chrome DevTools (Performance) for the call tree.
 */
import fs from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith("(") ? name : "(native)";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.startsWith("node:")) return "node";
  const project = /\/(server|db|lib|app|\.next)\//.exec(url);
  return project?.[1] ? `parley ${project[1]}` : url;
}

function largestProfile(dir: string): string | undefined {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
}

const [target, topArg] = process.argv.slice(2);
const file = target && fs.statSync(target).isDirectory() ? largestProfile(target) : target;
if (!file) {
  process.stderr.write("usage: tsx bench/profile-summary.ts <file.cpuprofile | dir> [top]\n");
  process.exit(2);
}
const top = Number.isInteger(Number(topArg)) ? Number(topArg) : 25;
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const dt = profile.timeDeltas[i] ?? 0;
  if (!node) return;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === "(idle)") return;
  total += dt;
  const fn = `${functionName || "(anonymous)"} ${url.replace(/^.*node_modules\//, "")}:${lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
  const pkg = packageOf(url, functionName);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
});

const print = (title: string, entries: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(
      `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}\n`,
    );
  }
};
process.stdout.write(`busy ${(total / 1e6).toFixed(1)} s (idle excluded)\n`);
print("self time by package", byPackage);
print("self time by function", byFunction);
