import { API_SCOPES } from "@/contracts/api-keys";

/**
 * A key's scopes as few short labels: "All scopes" for a key that has every one, else one
 * label per resource with its actions ("messages:read/write"), in the order scopes are
 * listed everywhere else. Scopes the app no longer knows are shown as they are.
 */
export function scopeSummary(scopes: readonly string[]): string[] {
  const held = new Set(scopes);
  if (API_SCOPES.every((scope) => held.has(scope))) return ["All scopes"];
  const known = API_SCOPES.filter((scope) => held.has(scope));
  const actions = new Map<string, string[]>();
  for (const scope of known) {
    const [resource = scope, action = ""] = scope.split(":");
    actions.set(resource, [...(actions.get(resource) ?? []), action]);
  }
  const unknown = scopes.filter((scope) => !(API_SCOPES as readonly string[]).includes(scope));
  return [...[...actions].map(([resource, list]) => `${resource}:${list.join("/")}`), ...unknown];
}
