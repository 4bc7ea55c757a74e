import { hashPassword } from "better-auth/crypto";
import type { Sql } from "postgres";

export const BENCH_PASSWORD = "bench password 2024";

export interface BenchUser {
  id: string;
  name: string;
  email: string;
}

export interface SignedInUser extends BenchUser {
  /** The Cookie header a browser signed in as this user would send. */
  cookie: string;
}

/**
 * The one workspace every bench user is in (their own, empty ones are dropped), so their
 * sessions start in it and their chats belong to it. A constant: statements replayed as a
 * request name it as `withRls` would.
 */
export const BENCH_WORKSPACE_ID = "00000000-0000-4000-8000-00000000be4c";

let passwordHash: Promise<string> | undefined;

/**
 * Users created in bulk inside Postgres, each with a password account (one hash computed by
 * Better Auth, shared by all), so any of them can sign in through the real endpoint.
 */
export async function createUsers(sql: Sql, prefix: string, count: number): Promise<BenchUser[]> {
  passwordHash ??= hashPassword(BENCH_PASSWORD);
  const hash = await passwordHash;
  const rows = await sql<BenchUser[]>`
    with created as (
      insert into public."user" (name, email, "emailVerified")
      select ${prefix}::text || ' ' || i, lower(${prefix}::text) || '-' || i || '@bench.test', true
      from generate_series(1, ${count}::int) i
      returning id, name, email
    ), accounts as (
      insert into public.account ("accountId", "providerId", "userId", password)
      select id::text, 'credential', id, ${hash}::text from created
    )
    select id, name, email from created order by email`;
  const ids = rows.map((row) => row.id);
  await sql`
    insert into public.organization (id, name, slug)
    values (${BENCH_WORKSPACE_ID}, 'Bench', 'bench') on conflict (id) do nothing`;
  await sql`
    delete from public.organization o using public.member m
    where m."organizationId" = o.id and m."userId" = any(${ids}::uuid[])
      and o.id <> ${BENCH_WORKSPACE_ID}::uuid`;
  await sql`
    insert into public.member ("organizationId", "userId", role)
    select ${BENCH_WORKSPACE_ID}::uuid, id, 'member' from unnest(${ids}::uuid[]) id`;
  // generate_series order is not email order: sort by the number for a stable mapping.
  return rows.sort((a, b) => numberOf(a.email) - numberOf(b.email));
}

function numberOf(email: string): number {
  return Number(/-(\d+)@/.exec(email)?.[1] ?? 0);
}

/** Signs in through Better Auth's HTTP endpoint, as the sign-in page does. */
export async function signIn(baseUrl: string, who: BenchUser): Promise<SignedInUser> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email: who.email, password: BENCH_PASSWORD }),
  });
  if (!response.ok) {
    throw new Error(`sign-in of ${who.email} failed: ${response.status} ${await response.text()}`);
  }
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (!cookie) throw new Error(`sign-in of ${who.email} set no cookie`);
  return { ...who, cookie };
}

/** Signs several users in, a few at a time (password hashing is CPU-bound on the server). */
export async function signInAll(baseUrl: string, users: BenchUser[]): Promise<SignedInUser[]> {
  const out: SignedInUser[] = new Array<SignedInUser>(users.length);
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const index = next++;
      out[index] = await signIn(baseUrl, users[index] as BenchUser);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return out;
}
