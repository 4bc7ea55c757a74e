import {
  ADMIN_USERS_PAGE_SIZE,
  adminListUsersInput,
  type AdminListUsersParams,
} from "@/contracts/admin";

type SearchParamsLike = Record<string, string | string[] | undefined>;

const DEFAULTS: AdminListUsersParams = adminListUsersInput.parse({});

/**
 * The users table's state from the URL (`?q=&role=&status=&sort=&dir=&page=`), with every
 * unknown or malformed value falling back to its default: a shared link never breaks the page.
 * The server page and the browser read it the same way, so the prefetched query is the one
 * the browser asks for.
 */
export function parseUserListParams(params: SearchParamsLike): AdminListUsersParams {
  const one = (key: string) => {
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const pick = <K extends keyof AdminListUsersParams>(key: K, raw: unknown) => {
    const field = adminListUsersInput.shape[key];
    const parsed = field.safeParse(raw);
    return parsed.success ? (parsed.data as AdminListUsersParams[K]) : DEFAULTS[key];
  };
  const page = Number.parseInt(one("page") ?? "", 10);
  const search = one("q")?.trim();
  return {
    search: search ? pick("search", search) : undefined,
    role: pick("role", one("role")),
    status: pick("status", one("status")),
    sort: pick("sort", one("sort")),
    direction: pick("direction", one("dir")),
    page: Number.isFinite(page) ? pick("page", page) : 1,
    pageSize: ADMIN_USERS_PAGE_SIZE,
  };
}

/** The query string for a table state, leaving defaults out so URLs stay short. */
export function userListSearch(params: AdminListUsersParams): string {
  const query = new URLSearchParams();
  if (params.search) query.set("q", params.search);
  if (params.role !== DEFAULTS.role) query.set("role", params.role);
  if (params.status !== DEFAULTS.status) query.set("status", params.status);
  if (params.sort !== DEFAULTS.sort) query.set("sort", params.sort);
  if (params.direction !== DEFAULTS.direction) query.set("dir", params.direction);
  if (params.page > 1) query.set("page", String(params.page));
  const text = query.toString();
  return text ? `?${text}` : "";
}
