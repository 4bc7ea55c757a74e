import { eq, sql } from "drizzle-orm";
import type { Auth } from "@/server/auth";
import type { Database } from "./client";
import { seedDemoChats } from "./seed-chats";
import { user } from "./schema";

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
 * Creates the demo accounts that do not exist yet, through Better Auth (hashed passwords),
 * and the demo conversations when there are no chats yet.
 */
export async function seedDemoData(db: Database, auth: Auth): Promise<string[]> {
  const created: string[] = [];
  for (const demo of DEMO_USERS) {
    const [existing] = await db
      .select({ id: user.id })
      .from(user)
      .where(eq(user.email, demo.email));
    if (existing) continue;
    const result = await auth.api.signUpEmail({
      body: { email: demo.email, password: DEMO_PASSWORD, name: demo.name },
    });
    await db
      .update(user)
      .set({ role: demo.role, emailVerified: true })
      .where(eq(user.id, result.user.id));
    created.push(demo.email);
  }
  await seedDemoChats(db);
  return created;
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
