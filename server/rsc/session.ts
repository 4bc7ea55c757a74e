import "server-only";

import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { withRls } from "@/db/rls";
import type { AuthSession } from "@/server/auth";
import { getRequestSession } from "@/server/auth-session";
import { env } from "@/server/env";
import type { Preferences } from "@/contracts/preferences";
import { getStoredPreferences } from "@/server/services/preferences";
import { REQUEST_PATH_HEADER } from "@/lib/request-path";
import { safeRedirectPath } from "@/lib/utils";

/** The signed-in session for this render, checked against the database (not a cookie peek). */
export const getSession = cache(async (): Promise<AuthSession | null> => {
  // headers() first: it marks the render dynamic before anything touches the database.
  const requestHeaders = await headers();
  return getRequestSession(requestHeaders);
});

/**
 * The session, or a redirect to sign-in that comes back to the page asked for (its path as
 * the proxy forwarded it, else `fallback`).
 */
export async function requireSession(fallback: string): Promise<AuthSession> {
  const session = await getSession();
  if (!session) {
    const requested = (await headers()).get(REQUEST_PATH_HEADER);
    const returnTo = safeRedirectPath(requested, fallback);
    redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  }
  return session;
}

export function isSiteAdmin(session: AuthSession): boolean {
  return (session.user.role ?? "").split(",").includes("admin");
}

/** The admin area does not exist for anyone else: 404, not 403, so it is not even hinted at. */
export async function requireAdmin(returnTo: string): Promise<AuthSession> {
  const session = await requireSession(returnTo);
  if (!isSiteAdmin(session)) notFound();
  return session;
}

/**
 * The dev mailbox holds every reset and verification link Parley sent. In development anyone
 * at the machine may read it; anywhere else (a production build with DEV_MAILBOX=1, as the
 * end-to-end run uses) only a site admin. Everyone else gets 404.
 */
export async function requireDevMailboxReader(): Promise<void> {
  if (!env.mail.devMailboxReadable) notFound();
  if (env.NODE_ENV === "development") return;
  const session = await getSession();
  if (!session || !isSiteAdmin(session)) notFound();
}

/**
 * The preferences the user has saved (theme, language, clock…), read under their own RLS.
 * Only what was saved: a theme never chosen must not override the device's own choice.
 */
export const storedPreferences = cache(async (userId: string): Promise<Partial<Preferences>> =>
  withRls(userId, (tx) => getStoredPreferences(tx, { userId })),
);
