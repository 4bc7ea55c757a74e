/**
 * Work to finish before the process exits (flush buffers, close pools). Kept on globalThis:
 * modules bundled by Next and `server/main.ts` must register into the same list.
 */
type ShutdownHook = { name: string; run: () => Promise<void> | void };

const HOOKS = Symbol.for("parley.shutdownHooks");
type GlobalWithHooks = typeof globalThis & { [HOOKS]?: ShutdownHook[] };
const store = globalThis as GlobalWithHooks;

export function onShutdown(name: string, run: ShutdownHook["run"]): void {
  (store[HOOKS] ??= []).push({ name, run });
}

/** Runs every hook, latest registered first; a failing hook does not stop the others. */
export async function runShutdownHooks(log: (name: string, error: unknown) => void): Promise<void> {
  const hooks = [...(store[HOOKS] ?? [])].reverse();
  store[HOOKS] = [];
  for (const hook of hooks) {
    try {
      await hook.run();
    } catch (error) {
      log(hook.name, error);
    }
  }
}
