import "server-only";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getAuth, type AuthSession } from "@/server/auth";

/** The signed-in session for this render, checked against the database (not a cookie peek). */
export const getSession = cache(async (): Promise<AuthSession | null> => {
  // headers() first: it marks the render dynamic before anything touches the database.
  const requestHeaders = await headers();
  return getAuth().api.getSession({ headers: requestHeaders });
});

export async function requireSession(returnTo: string): Promise<AuthSession> {
  const session = await getSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return session;
}
