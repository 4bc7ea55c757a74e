import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { RlsActor } from "@/db/rls";
import { member, session, user } from "@/db/schema";
import { getAuth } from "@/server/auth";
import { createTRPCContext } from "@/server/trpc/context";
import { createCallerFactory } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/root";
import { joinWorkspace, shareWorkspace } from "./workspace";

export const TEST_PASSWORD = "correct horse battery";

export interface TestUser {
  id: string;
  name: string;
  email: string;
  /** The workspace their sessions are in: the test database's shared one, or their own. */
  organizationId: string;
  /** Request headers carrying this user's Better Auth session cookie. */
  headers: Headers;
}

/** Signs a user up through Better Auth (real password hashing, real session). */
export async function signUp(
  name: string,
  options: { role?: "admin" | "user"; email?: string; workspace?: "shared" | "own" } = {},
): Promise<TestUser> {
  // "Zelda Quartermaine" → zelda-quartermaine-…: a full name makes a valid address too.
  const local = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const email = options.email ?? `${local}-${randomBytes(4).toString("hex")}@example.test`;
  const response = await getAuth().api.signUpEmail({
    body: { name, email, password: TEST_PASSWORD },
    asResponse: true,
  });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { user: { id: string } };
  const cookie = sessionCookie(response);
  if (options.role === "admin") {
    await getDb().update(user).set({ role: "admin" }).where(eq(user.id, body.user.id));
  }
  let organizationId: string;
  if (options.workspace === "own") {
    const [own] = await getDb()
      .select({ id: member.organizationId })
      .from(member)
      .where(eq(member.userId, body.user.id));
    organizationId = own!.id;
  } else {
    organizationId = await testWorkspace();
    await joinWorkspace(organizationId, [body.user.id]);
  }
  return { id: body.user.id, name, email, organizationId, headers: new Headers({ cookie }) };
}

const testWorkspaces = new WeakMap<object, Promise<string>>();

/**
 * The workspace the users of one test database share unless a test asks for a workspace of
 * their own (as Parley's accounts start): they find each other and chat there.
 */
export function testWorkspace(): Promise<string> {
  const db = getDb();
  let workspace = testWorkspaces.get(db);
  if (!workspace) {
    workspace = shareWorkspace([], "Test team");
    testWorkspaces.set(db, workspace);
  }
  return workspace;
}

function sessionCookie(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/**
 * A second session of the same user (another device), optionally with its own headers, and
 * with "remember me" unticked when asked.
 */
export async function signInAgain(
  who: TestUser,
  headers?: Headers,
  options: { rememberMe?: boolean } = {},
): Promise<TestUser> {
  const response = await getAuth().api.signInEmail({
    body: { email: who.email, password: TEST_PASSWORD, ...options },
    ...(headers ? { headers } : {}),
    asResponse: true,
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
  return { ...who, headers: new Headers({ cookie: sessionCookie(response) }) };
}

/** Who `who`'s requests run as: them, in the workspace their sessions are in. */
export function actorOf(who: Pick<TestUser, "id" | "organizationId">): RlsActor {
  return { userId: who.id, organizationId: who.organizationId };
}

const createCaller = createCallerFactory(appRouter);

/** A tRPC caller with the context a real request from this user (or nobody) would get. */
export async function callerFor(who: TestUser | null) {
  const ctx = await createTRPCContext({ headers: who ? who.headers : new Headers() });
  return createCaller(ctx);
}

/** Sets every session of `who` to expire at `expiresAt`. */
export async function setSessionExpiry(who: TestUser, expiresAt: Date): Promise<void> {
  await getDb().update(session).set({ expiresAt }).where(eq(session.userId, who.id));
}

/** Makes `who`'s sessions last extended just over `updateAge` ago; returns their expiry. */
export async function makeSessionsDueForExtension(who: TestUser): Promise<Date> {
  const { expiresIn, updateAge } = (await getAuth().$context).sessionConfig;
  const due = new Date(Date.now() + (expiresIn - updateAge - 60) * 1000);
  await setSessionExpiry(who, due);
  return due;
}
