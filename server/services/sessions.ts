import "server-only";

import UAParser from "ua-parser-js";
import { getAuth } from "@/server/auth";
import type { SessionView } from "@/contracts/security";
import { AppError } from "@/server/errors";

/**
 * The caller's own Better Auth sessions. Sessions live in tables RLS closes to every request
 * role, so this goes through Better Auth (its owner connection), always scoped to the
 * signed-in user, and hands out session ids only: a token never leaves the server.
 */

interface Caller {
  /** The request's headers: Better Auth reads the session cookie from them. */
  headers: Headers;
  userId: string;
  currentSessionId: string;
}

interface StoredSession {
  id: string;
  token: string;
  userId: string;
  ipAddress?: string | null;
  userAgent?: string | null;
  impersonatedBy?: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

function describeDevice(userAgent: string | null | undefined) {
  const { browser, os, device } = new UAParser(userAgent ?? "").getResult();
  const join = (name?: string, version?: string) =>
    name ? [name, version?.split(".")[0]].filter(Boolean).join(" ") : null;
  const deviceType: SessionView["deviceType"] =
    device.type === "mobile" || device.type === "tablet"
      ? device.type
      : browser.name || os.name
        ? "desktop"
        : "other";
  return {
    browser: join(browser.name, browser.version),
    os: join(os.name, os.version),
    deviceType,
  };
}

/**
 * Active sessions, newest activity first. An admin's impersonation session belongs to the
 * admin, so it is not listed (unless it is the one making this request).
 *
 * Read through the internal adapter rather than the `list-sessions` endpoint: that endpoint
 * demands a session signed in within the last day, and people keep sessions for weeks.
 */
async function activeSessions(caller: Caller): Promise<StoredSession[]> {
  const context = await getAuth().$context;
  const sessions: StoredSession[] = await context.internalAdapter.listSessions(caller.userId, {
    onlyActiveSessions: true,
  });
  const now = Date.now();
  return sessions.filter(
    (s) =>
      s.userId === caller.userId &&
      s.expiresAt.getTime() > now &&
      (!s.impersonatedBy || s.id === caller.currentSessionId),
  );
}

export async function listMySessions(caller: Caller): Promise<SessionView[]> {
  const sessions = await activeSessions(caller);
  return sessions
    .map((s) => ({
      id: s.id,
      current: s.id === caller.currentSessionId,
      ...describeDevice(s.userAgent),
      ipAddress: s.ipAddress ?? null,
      createdAt: s.createdAt,
      lastActiveAt: s.updatedAt,
    }))
    .sort(
      (a, b) =>
        Number(b.current) - Number(a.current) ||
        b.lastActiveAt.getTime() - a.lastActiveAt.getTime(),
    );
}

/** Ends one of the caller's other sessions. Someone else's session id is simply not found. */
export async function revokeMySession(caller: Caller, sessionId: string): Promise<void> {
  const target = (await activeSessions(caller)).find((s) => s.id === sessionId);
  if (!target) throw new AppError("NOT_FOUND", "Session not found");
  if (target.id === caller.currentSessionId) {
    throw new AppError("BAD_REQUEST", "This is the session you are using: sign out instead");
  }
  await getAuth().api.revokeSession({ headers: caller.headers, body: { token: target.token } });
}

/** Ends every session of the caller's except the one making the request. */
export async function revokeMyOtherSessions(caller: Caller): Promise<number> {
  const others = (await activeSessions(caller)).filter((s) => s.id !== caller.currentSessionId);
  await getAuth().api.revokeOtherSessions({ headers: caller.headers });
  return others.length;
}
