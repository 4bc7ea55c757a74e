import { TimeZoneSync } from "@/components/people/time-zone-sync";
import type { ReactNode } from "react";
import { CallProvider } from "@/components/calls/call-provider";
import { DesktopNotifier } from "@/components/chat/desktop-notifier";
import { UnreadTitle } from "@/components/chat/unread-title";
import { PresenceTracker } from "@/components/realtime/presence-tracker";
import { AppShell } from "@/components/shell/app-shell";
import { ThemeSync } from "@/components/theme/theme-sync";
import { RealtimeProvider } from "@/lib/realtime/provider";
import { FormatProvider } from "@/lib/format";
import { isSiteAdmin, requireSession, storedPreferences } from "@/server/rsc/session";
import {
  getCurrentWorkspace,
  getQueryClient,
  HydrateClient,
  prefetch,
  trpc,
} from "@/server/rsc/trpc";
import { WorkspaceWatcher } from "@/components/workspaces/workspace-watcher";
import { viewerTimeZone } from "@/lib/viewer-time-zone";
import { realtimeClientConfig } from "@/server/realtime/client-config";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const session = await requireSession("/dashboard");
  prefetch(trpc.chats.unreadTotal.queryOptions());
  prefetch(trpc.workspaces.list.queryOptions());
  const [realtimeConfig, preferences, timeZone, workspace] = await Promise.all([
    realtimeClientConfig(),
    storedPreferences(session.user.id),
    viewerTimeZone(),
    getCurrentWorkspace(),
  ]);
  const { user } = session;
  // Known from here on, for whatever asks the workspace's permissions (the new-chat dialog).
  getQueryClient().setQueryData(trpc.workspaces.current.queryKey(), workspace);
  return (
    <RealtimeProvider
      config={realtimeConfig}
      userId={user.id}
      name={user.name}
      image={user.image ?? null}
      organizationId={session.session.activeOrganizationId ?? null}
    >
      <PresenceTracker />
      <ThemeSync stored={preferences.theme ?? null} />
      <HydrateClient>
        <UnreadTitle />
        <WorkspaceWatcher workspaceName={workspace.name} />
        <DesktopNotifier />
        <TimeZoneSync />
        <CallProvider>
          <AppShell
            user={{ id: user.id, name: user.name, email: user.email, image: user.image ?? null }}
            workspace={workspace}
            isAdmin={isSiteAdmin(session)}
            impersonating={Boolean(session.session.impersonatedBy)}
          >
            <FormatProvider
              locale={preferences.language}
              timeFormat={preferences.timeFormat}
              timeZone={timeZone}
            >
              {children}
            </FormatProvider>
          </AppShell>
        </CallProvider>
      </HydrateClient>
    </RealtimeProvider>
  );
}
