import type { AuditViewRow } from "@/contracts/audit";

/** What happened, in one line: a tRPC row's recorded action, else the endpoint. */
export function auditAction(row: Pick<AuditViewRow, "method" | "endpoint" | "details">): {
  primary: string;
  secondary: string | null;
} {
  const action = row.details?.action;
  if (row.method === "TRPC" && typeof action === "string") {
    return { primary: action, secondary: row.endpoint };
  }
  return { primary: row.endpoint, secondary: null };
}
