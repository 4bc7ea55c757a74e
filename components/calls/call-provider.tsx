"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { toast } from "@/components/ui/toaster";
import type { Call } from "@/contracts/calls";
import { CallSession } from "@/lib/calls/call-session";
import { useUserChannel } from "@/lib/realtime/hooks";
import { useRealtime } from "@/lib/realtime/provider";
import { useTRPC, useTRPCClient } from "@/lib/trpc/react";
import { CallBar } from "./call-bar";
import { CallsContext, type CallsContextValue } from "./calls-context";
import { CallView } from "./call-view";
import { IncomingCall } from "./incoming-call";

/** The tab that answered or started a call keeps it, across reloads (sessionStorage is per tab). */
const HERE_KEY = "parley.call";
const heldHere = () => (typeof window === "undefined" ? null : sessionStorage.getItem(HERE_KEY));

/**
 * Calls, on every page: rings for calls to this user, the media of the call they are in (in
 * the tab that took it), the full call view or the bar that leads back to it.
 */
export function CallProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const queryClient = useQueryClient();
  const { realtime, userId } = useRealtime();
  const mine = useQuery(trpc.calls.mine.queryOptions());
  const [view, setView] = useState<"full" | "bar">("full");
  const [session, setSession] = useState<CallSession | null>(null);
  const [hereId, setHereId] = useState<string | null>(null);
  useEffect(() => setHereId(heldHere()), []);

  const refresh = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: trpc.calls.pathFilter().queryKey }),
    [queryClient, trpc],
  );
  // Every join too: a call may have started between the page's first read and the channel.
  useUserChannel({ "call.changed": refresh, onSubscribed: refresh });

  const joined = mine.data?.joined ?? null;
  const here = joined !== null && hereId === joined.id;
  const joinedId = here ? joined.id : null;
  const joinedKind = joined?.kind ?? "audio";

  // This tab's media for the call it holds, from the moment it is in it until it is not.
  useEffect(() => {
    if (!joinedId || !realtime) return;
    let current: CallSession | null = null;
    let cancelled = false;
    void (async () => {
      const ice = await queryClient.fetchQuery(trpc.calls.iceServers.queryOptions());
      if (cancelled) return;
      current = new CallSession({
        callId: joinedId,
        kind: joinedKind,
        selfId: userId,
        iceServers: ice.iceServers,
        channels: realtime.channels,
        heartbeat: (state) => trpcClient.calls.heartbeat.mutate({ callId: joinedId, ...state }),
      });
      setSession(current);
      await current.start();
    })();
    return () => {
      cancelled = true;
      current?.stop();
      setSession(null);
    };
  }, [joinedId, joinedKind, realtime, userId, queryClient, trpc, trpcClient]);

  const inCall = useMemo(
    () =>
      (joined?.participants ?? [])
        .filter((p) => p.status === "joined")
        .map((p) => p.user.id)
        .join(","),
    [joined],
  );
  useEffect(() => {
    session?.setParticipants(inCall ? inCall.split(",") : []);
  }, [session, inCall]);

  // A call over, or left from elsewhere: this tab lets go of it.
  useEffect(() => {
    if (mine.isSuccess && hereId && joined?.id !== hereId) {
      sessionStorage.removeItem(HERE_KEY);
      setHereId(null);
    }
  }, [mine.isSuccess, joined, hereId]);

  const takeHere = (call: Call) => {
    sessionStorage.setItem(HERE_KEY, call.id);
    setHereId(call.id);
    setView("full");
    queryClient.setQueryData(trpc.calls.mine.queryKey(), (old) => ({
      incoming: (old?.incoming ?? []).filter((c) => c.id !== call.id),
      joined: call,
    }));
    refresh();
  };
  const failed = (error: unknown) => {
    toast.error(error instanceof Error ? error.message : "The call could not be changed");
  };

  const startCall = useMutation(
    trpc.calls.start.mutationOptions({ onSuccess: takeHere, onError: failed }),
  );
  const joinCall = useMutation(
    trpc.calls.join.mutationOptions({ onSuccess: takeHere, onError: failed }),
  );
  const declineCall = useMutation(
    trpc.calls.decline.mutationOptions({ onSettled: refresh, onError: failed }),
  );
  const leaveCall = useMutation(
    trpc.calls.leave.mutationOptions({
      onSettled: () => {
        sessionStorage.removeItem(HERE_KEY);
        setHereId(null);
        refresh();
      },
      onError: failed,
    }),
  );

  const value: CallsContextValue = {
    incoming: (mine.data?.incoming ?? []).filter((c) => c.id !== joined?.id),
    joined,
    here,
    session,
    view,
    setView,
    start: async (chatId, kind) => {
      if (joined) {
        toast.error("Leave the call you are in first");
        return;
      }
      await startCall.mutateAsync({ chatId, kind }).catch(() => undefined);
    },
    accept: async (callId) => {
      if (joined && joined.id !== callId) await leaveCall.mutateAsync({ callId: joined.id });
      await joinCall.mutateAsync({ callId }).catch(() => undefined);
    },
    decline: async (callId) => {
      await declineCall.mutateAsync({ callId }).catch(() => undefined);
    },
    leave: async () => {
      if (joined) await leaveCall.mutateAsync({ callId: joined.id }).catch(() => undefined);
    },
    busy: startCall.isPending || joinCall.isPending || leaveCall.isPending,
  };

  return (
    <CallsContext.Provider value={value}>
      {joined && (view === "bar" || !here) ? <CallBar /> : null}
      {children}
      {joined && here && view === "full" ? <CallView /> : null}
      <IncomingCall />
    </CallsContext.Provider>
  );
}
