import "server-only";

/** Work to finish before the process exits (flush buffers, close pools). */
type ShutdownHook = { name: string; run: () => Promise<void> | void };

let hooks: ShutdownHook[] = [];

export function onShutdown(name: string, run: ShutdownHook["run"]): void {
  hooks.push({ name, run });
}

/** Runs every hook, latest registered first; a failing hook does not stop the others. */
export async function runShutdownHooks(log: (name: string, error: unknown) => void): Promise<void> {
  const due = hooks.reverse();
  hooks = [];
  for (const hook of due) {
    try {
      await hook.run();
    } catch (error) {
      log(hook.name, error);
    }
  }
}
