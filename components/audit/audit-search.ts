import { STATUS_CLASSES } from "@/contracts/audit";

export type AuditScope = "user" | "admin";
type StatusClass = (typeof STATUS_CLASSES)[number];

/**
 * The audit log's filters as they live in the URL (shareable, and the back button steps
 * through them). Dates are full instants with the viewer's offset
 * (`2026-05-01T00:00:00+02:00`), so the server's prefetch and the browser ask for the same range.
 */
export interface AuditSearch {
  key?: string;
  status?: StatusClass;
  method?: string;
  endpoint?: string;
  from?: string;
  to?: string;
  /** Admin only: a user's name or email. */
  user?: string;
}

type RawParams = URLSearchParams | Record<string, string | string[] | undefined>;

function get(params: RawParams, name: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

const isStatus = (value: string | undefined): value is StatusClass =>
  (STATUS_CLASSES as readonly string[]).includes(value ?? "");

/** The filters in a URL; anything malformed is dropped rather than failing the page. */
export function readAuditSearch(params: RawParams, scope: AuditScope): AuditSearch {
  const key = get(params, "key");
  const status = get(params, "status");
  const method = get(params, "method")?.toUpperCase();
  const endpoint = get(params, "endpoint");
  const from = get(params, "from");
  const to = get(params, "to");
  const user = scope === "admin" ? get(params, "user") : undefined;
  return {
    ...(key && UUID.test(key) ? { key } : {}),
    ...(isStatus(status) ? { status } : {}),
    ...(method && /^[A-Z]{3,7}$/.test(method) ? { method } : {}),
    ...(endpoint ? { endpoint: endpoint.slice(0, 200) } : {}),
    ...(from && INSTANT.test(from) ? { from } : {}),
    ...(to && INSTANT.test(to) ? { to } : {}),
    ...(user ? { user: user.slice(0, 100) } : {}),
  };
}

/** The query string for a set of filters (empty ones left out). */
export function auditSearchString(search: AuditSearch): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(search) as [string, string | undefined][]) {
    if (value) params.set(name, value);
  }
  return params.toString();
}

/** The list query's input: the same object on the server and in the browser. */
export function auditListInput(search: AuditSearch, scope: AuditScope) {
  return {
    ...(search.key ? { apiKeyId: search.key } : {}),
    ...(search.status ? { status: search.status } : {}),
    ...(search.method ? { method: search.method } : {}),
    ...(search.endpoint ? { endpoint: search.endpoint } : {}),
    ...(search.from ? { from: new Date(search.from) } : {}),
    ...(search.to ? { to: new Date(search.to) } : {}),
    ...(scope === "admin" && search.user ? { user: search.user } : {}),
    limit: 50,
  };
}

/** The CSV export of exactly what the list shows; for admins, from the whole log. */
export function auditExportHref(search: AuditSearch, scope: AuditScope): string {
  const params = new URLSearchParams();
  if (scope === "admin") params.set("all", "1");
  const input = auditListInput(search, scope);
  for (const [name, value] of Object.entries(input)) {
    if (name === "limit") continue;
    params.set(name, value instanceof Date ? value.toISOString() : String(value));
  }
  return `/api/audit/export?${params.toString()}`;
}

/** A `YYYY-MM-DD` day as the first or last instant of that day in the browser's zone. */
export function dayBoundary(day: string, edge: "start" | "end"): string | undefined {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return undefined;
  const local =
    edge === "start" ? new Date(y, m - 1, d, 0, 0, 0, 0) : new Date(y, m - 1, d, 23, 59, 59, 999);
  if (Number.isNaN(local.getTime())) return undefined;
  const offset = -local.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  const time = edge === "start" ? "00:00:00" : "23:59:59.999";
  return `${day}T${time}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}
