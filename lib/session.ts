import "server-only";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getAuth, type AuthSession } from "@/server/auth";

/** The signed-in session for this render, checked against the database (not a cookie peek). */
export const getSession = cache(async (): Promise<AuthSession | null> => {
  return getAuth().api.getSession({ headers: await headers() });
});

export async function requireSession(returnTo: string): Promise<AuthSession> {
  const session = await getSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return session;
}
