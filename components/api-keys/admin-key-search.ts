export const ADMIN_KEY_STATUSES = ["active", "revoked", "expired"] as const;
type AdminKeyStatus = (typeof ADMIN_KEY_STATUSES)[number];

export interface AdminKeySearch {
  q?: string;
  status?: AdminKeyStatus;
}

type RawParams = URLSearchParams | Record<string, string | string[] | undefined>;

function get(params: RawParams, name: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  const first = (Array.isArray(value) ? value[0] : value)?.trim();
  return first ? first : undefined;
}

/** The admin key list's filters from the URL; anything malformed is dropped. */
export function readAdminKeySearch(params: RawParams): AdminKeySearch {
  const q = get(params, "q");
  const status = ADMIN_KEY_STATUSES.find((s) => s === get(params, "status"));
  return { ...(q ? { q: q.slice(0, 100) } : {}), ...(status ? { status } : {}) };
}

/** The list query's input: the same object on the server and in the browser. */
export function adminKeyListInput(search: AdminKeySearch) {
  return {
    ...(search.q ? { search: search.q } : {}),
    ...(search.status ? { status: search.status } : {}),
    limit: 50,
  };
}

export function adminKeySearchString(search: AdminKeySearch): string {
  const params = new URLSearchParams();
  if (search.q) params.set("q", search.q);
  if (search.status) params.set("status", search.status);
  return params.toString();
}
