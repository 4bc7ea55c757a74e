"use client";

import { createContext, useCallback, useContext, useSyncExternalStore } from "react";
import type { Call, CallKind } from "@/contracts/calls";
import type { CallSession, CallSessionState } from "@/lib/calls/call-session";

export interface CallsContextValue {
  /** Calls ringing for this user. */
  incoming: Call[];
  /** The call this user is in, wherever they are in it. */
  joined: Call | null;
  /** Whether this tab holds the call's media (another tab of theirs may). */
  here: boolean;
  session: CallSession | null;
  view: "full" | "bar";
  setView: (view: "full" | "bar") => void;
  start: (chatId: string, kind: CallKind) => Promise<void>;
  accept: (callId: string) => Promise<void>;
  decline: (callId: string) => Promise<void>;
  leave: () => Promise<void>;
  busy: boolean;
}

export const CallsContext = createContext<CallsContextValue | null>(null);

export function useCalls(): CallsContextValue {
  const value = useContext(CallsContext);
  if (!value) throw new Error("useCalls must be used inside <CallProvider>");
  return value;
}

/** The session's state as React sees it, or null without one. */
export function useCallSessionState(session: CallSession | null): CallSessionState | null {
  return useSyncExternalStore(
    useCallback((onChange) => session?.subscribe(onChange) ?? (() => undefined), [session]),
    () => session?.snapshot ?? null,
    () => null,
  );
}
