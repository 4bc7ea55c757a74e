import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { ConnectionBanner } from "@/components/realtime/connection-banner";
import { ConnectionIndicator } from "@/components/realtime/connection-indicator";
import { PresenceTracker } from "@/components/realtime/presence-tracker";
import { UnreadBadge } from "@/components/realtime/unread-badge";
import { RealtimeProvider } from "@/lib/realtime/provider";
import { requireSession } from "@/lib/session";
import { HydrateClient, prefetch, trpc } from "@/lib/trpc/server";
import { realtimeClientConfig } from "@/server/realtime/client-config";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const session = await requireSession("/dashboard");
  prefetch(trpc.chats.unreadTotal.queryOptions());
  const realtimeConfig = await realtimeClientConfig();
  return (
    <RealtimeProvider config={realtimeConfig} userId={session.user.id}>
      <PresenceTracker />
      <div className="min-h-full">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex h-14 max-w-5xl items-center justify-between px-4">
            <Link href="/dashboard" className="text-lg font-bold text-brand-700">
              Parley
            </Link>
            <div className="flex items-center gap-3">
              <HydrateClient>
                <UnreadBadge />
              </HydrateClient>
              <ConnectionIndicator />
              <span className="text-sm text-slate-600" data-testid="nav-user-name">
                {session.user.name}
              </span>
              <SignOutButton />
            </div>
          </div>
        </header>
        <ConnectionBanner />
        <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
      </div>
    </RealtimeProvider>
  );
}
