import "server-only";

import { sql } from "drizzle-orm";
import type { Database } from "@/db/types";
import { queryRows } from "@/db/rows";

export type GrantOutcome =
  | { kind: "granted"; userId: string; email: string }
  | { kind: "already-admin"; userId: string; email: string }
  | { kind: "unknown-email" };

/**
 * Gives the account with this email (any case) the site admin role, on the owner connection:
 * how a production deployment gets its first admin, from a shell on the server
 * (`npm run admin:grant -- someone@example.com`). The grant is written to that user's audit
 * trail; an unknown email changes nothing.
 */
export async function grantAdminRole(db: Database, email: string): Promise<GrantOutcome> {
  return db.transaction(async (tx) => {
    const [found] = await queryRows<{ id: string; email: string; role: string }>(
      tx,
      sql`select id, email, role from public."user" where lower(email) = lower(${email.trim()})
          for update`,
    );
    if (!found) return { kind: "unknown-email" };
    const roles = found.role.split(",").filter(Boolean);
    if (roles.includes("admin")) {
      return { kind: "already-admin", userId: found.id, email: found.email };
    }
    await tx.execute(
      sql`update public."user" set role = ${[...roles, "admin"].join(",")} where id = ${found.id}`,
    );
    await tx.execute(sql`
      insert into public.api_audit_logs ("userId", "actorId", endpoint, method, "statusCode", details)
      values (${found.id}, null, 'admin:grant', 'CLI', 200,
              ${JSON.stringify({ action: "user.admin_granted", via: "npm run admin:grant" })}::jsonb)`);
    return { kind: "granted", userId: found.id, email: found.email };
  });
}
