"use client";

import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
import type { RealtimeClientConfig } from "@/contracts/realtime";
import { useTRPCClient } from "@/lib/trpc/react";
import { getBrowserRealtime, type BrowserRealtime } from "./browser-client";
import { userTopic } from "./events";

export type RealtimeStatus = "connecting" | "connected" | "reconnecting" | "offline";

interface RealtimeContextValue {
  /** Null during server rendering and until the first effect runs. */
  realtime: BrowserRealtime | null;
  userId: string;
  /** The workspace the session is in: presence and tokens are per workspace. */
  organizationId: string | null;
  status: RealtimeStatus;
}

const RealtimeContext = createContext<RealtimeContextValue | null>(null);

/** "never" until the user topic first joins; "lost" whenever it drops after that. */
type JoinState = "never" | "joined" | "lost";

export function RealtimeProvider(props: {
  config: RealtimeClientConfig;
  userId: string;
  /** What others see of this user in presence on hosted Realtime. */
  name: string;
  image: string | null;
  organizationId: string | null;
  children: ReactNode;
}) {
  const { config, userId, name, image, organizationId } = props;
  const trpcClient = useTRPCClient();
  const [realtime, setRealtime] = useState<BrowserRealtime | null>(null);
  const [join, setJoin] = useState<JoinState>("never");
  const online = useBrowserOnline();

  useEffect(() => {
    // Created in an effect, not during render: the client asks for a token at once, and
    // neither the server render nor a discarded Strict Mode render should trigger that.
    setRealtime(
      getBrowserRealtime({
        config,
        user: { userId, name, image },
        fetchToken: () => trpcClient.realtime.token.mutate(),
      }),
    );
  }, [config, userId, name, image, trpcClient]);

  useEffect(() => {
    if (!realtime) return;
    // The user's own topic is always wanted (chat list, unread) and is joined whenever the
    // socket is healthy, so its state is the connection state users care about.
    const handle = realtime.channels.acquire(userTopic(userId), {
      onStatus: (status) =>
        setJoin((previous) =>
          status === "SUBSCRIBED" ? "joined" : previous === "never" ? "never" : "lost",
        ),
    });
    return () => handle.release();
  }, [realtime, userId]);

  const status: RealtimeStatus = !online
    ? "offline"
    : join === "joined"
      ? "connected"
      : join === "lost"
        ? "reconnecting"
        : "connecting";

  const value = useMemo(
    () => ({ realtime, userId, organizationId, status }),
    [realtime, userId, organizationId, status],
  );
  return <RealtimeContext.Provider value={value}>{props.children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeContextValue {
  const value = useContext(RealtimeContext);
  if (!value) throw new Error("useRealtime must be used inside <RealtimeProvider>");
  return value;
}

/** The signed-in user's id, or null outside the signed-in app (a page that has no realtime). */
export function useViewerId(): string | null {
  return useContext(RealtimeContext)?.userId ?? null;
}

export function useRealtimeStatus(): RealtimeStatus {
  return useRealtime().status;
}

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener("online", onChange);
  window.addEventListener("offline", onChange);
  return () => {
    window.removeEventListener("online", onChange);
    window.removeEventListener("offline", onChange);
  };
}

function useBrowserOnline(): boolean {
  return useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine,
    () => true,
  );
}
