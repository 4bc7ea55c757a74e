/**
 * A workspace address from its name: its letters and digits as lower-case words joined by
 * hyphens, accents dropped, and a short random tail so two workspaces of one name never
 * collide (the rule the database checks: contracts/workspaces.ts, workspaceSlug).
 */
export function slugFor(name: string): string {
  const words = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  const tail = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) =>
    (b % 36).toString(36),
  ).join("");
  return words ? `${words}-${tail}` : `workspace-${tail}`;
}
