import type { ChildProcess } from "node:child_process";

const running = new Map<ChildProcess, { group: boolean }>();

/**
 * Remembers a child process, so an aborted run can still end it. `group`: the child was
 * spawned detached and leads a process group (npm and what it starts), ended as a whole.
 */
export function track<T extends ChildProcess>(child: T, options = { group: false }): T {
  running.set(child, options);
  child.once("exit", () => running.delete(child));
  return child;
}

/** Ends every tracked child still running. */
export function killTracked(): void {
  for (const [child, { group }] of running) {
    if (child.pid === undefined || child.exitCode !== null) continue;
    try {
      if (group) process.kill(-child.pid, "SIGKILL");
      else child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}
