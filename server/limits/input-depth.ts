import "server-only";

/**
 * Whether a parsed JSON value nests deeper than `max` arrays and objects. Walked with a stack
 * of its own, so a value nested thousands deep is measured without the recursion that
 * overflows validators on it.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth >= max) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) pending.push([child, depth + 1]);
  }
  return false;
}
