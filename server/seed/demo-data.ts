import "server-only";

import { inArray, sql } from "drizzle-orm";
import type { Auth } from "@/server/auth";
import type { Database } from "@/db/client";
import { seedDemoChats } from "./demo-chats";
import { user } from "@/db/schema";

/** The one development password of every demo account (documented in the README). */
export const DEMO_PASSWORD = "parley-demo";

export const DEMO_USERS = [
  { email: "admin@example.com", name: "Ada Admin", role: "admin" },
  { email: "alice@example.com", name: "Alice Anders", role: "user" },
  { email: "bob@example.com", name: "Bob Brown", role: "user" },
  { email: "carol@example.com", name: "Carol Chen", role: "user" },
] as const;

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(user);
  return row?.n ?? 0;
}

/**
 * Creates the demo accounts that do not exist yet, with Better Auth's own user and credential
 * records and password hashing, and the demo conversations when there are no chats yet.
 */
export async function seedDemoData(db: Database, auth: Auth): Promise<string[]> {
  const existing = await db
    .select({ email: user.email })
    .from(user)
    .where(
      inArray(
        user.email,
        DEMO_USERS.map((demo) => demo.email),
      ),
    );
  const missing = DEMO_USERS.filter((demo) => !existing.some((row) => row.email === demo.email));
  if (missing.length > 0) {
    const context = await auth.$context;
    // One scrypt hash for every demo account: it is the slow part of a first start, and the
    // demo password is printed on the console anyway, so a shared salt gives nothing away.
    const hash = await context.password.hash(DEMO_PASSWORD);
    for (const demo of missing) {
      // What sign-up writes (a user, and a credential account holding the hash), created
      // verified and with its role, without the verification mail and the unused session.
      const created = await context.internalAdapter.createUser(
        {
          email: demo.email,
          name: demo.name,
          emailVerified: true,
          role: demo.role,
        },
        { method: "email-password" },
      );
      await context.internalAdapter.linkAccount({
        userId: created.id,
        providerId: "credential",
        accountId: created.id,
        password: hash,
      });
    }
  }
  await seedDemoChats(db);
  return missing.map((demo) => demo.email);
}

export function demoLoginsBanner(appUrl: string): string {
  const rows = DEMO_USERS.map((u) => `    ${u.email.padEnd(20)} ${u.role}`).join("\n");
  return [
    "",
    `  Parley is running at ${appUrl}`,
    "",
    `  Demo logins (password: ${DEMO_PASSWORD})`,
    rows,
    "",
  ].join("\n");
}
