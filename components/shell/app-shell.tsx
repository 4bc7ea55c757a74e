import Link from "next/link";
import type { ReactNode } from "react";
import { ConnectionBanner } from "@/components/realtime/connection-banner";
import { ConnectionIndicator } from "@/components/realtime/connection-indicator";
import { ImpersonationBanner } from "./impersonation-banner";
import { MobileNav } from "./mobile-nav";
import { NavLinks } from "./nav-links";
import { UserMenu, type ShellUser } from "./user-menu";
import { WorkspaceSwitcher } from "@/components/workspaces/workspace-switcher";
import type { WorkspaceSummary } from "@/contracts/workspaces";

/**
 * The signed-in frame: a sidebar from `md` up (a drawer below), a top bar with live status
 * and the account menu, and the banners that concern every page.
 */
export function AppShell({
  user,
  workspace,
  isAdmin,
  impersonating,
  children,
}: {
  user: ShellUser;
  workspace: WorkspaceSummary;
  isAdmin: boolean;
  impersonating: boolean;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-full">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-card px-3 py-2 text-sm font-medium focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 hidden h-dvh w-60 shrink-0 flex-col border-r border-border bg-card px-3 py-4 md:flex">
        <Link
          href="/dashboard"
          className="mb-3 px-3 text-lg font-bold text-primary-text focus-visible:outline-2 focus-visible:outline-ring"
        >
          Parley
        </Link>
        <div className="mb-4">
          <WorkspaceSwitcher current={workspace} />
        </div>
        <nav aria-label="Main" className="flex-1">
          <NavLinks isAdmin={isAdmin} />
        </nav>
        <Link
          href="/docs/api"
          className="rounded-md px-3 py-2 text-xs text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
        >
          REST API docs
        </Link>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-40 border-b border-border bg-card/95 backdrop-blur supports-[backdrop-filter]:bg-card/80">
          <div className="flex h-14 items-center gap-2 px-3 sm:px-6">
            <MobileNav isAdmin={isAdmin} workspace={workspace} />
            <Link
              href="/dashboard"
              className="text-lg font-bold text-primary-text focus-visible:outline-2 focus-visible:outline-ring md:hidden"
            >
              Parley
            </Link>
            <div className="ml-auto flex items-center gap-3">
              <ConnectionIndicator />
              <UserMenu user={user} />
            </div>
          </div>
        </header>
        {impersonating ? <ImpersonationBanner name={user.name} email={user.email} /> : null}
        <ConnectionBanner />
        <main id="main" tabIndex={-1} className="w-full flex-1 px-4 py-6 sm:px-6 lg:px-8">
          <div className="mx-auto w-full max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
