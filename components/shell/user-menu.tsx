"use client";

import { KeyRound, LogOut, ScrollText, Smile, User } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { StatusDialog } from "@/components/people/status-dialog";
import { ThemeMenuItems } from "@/components/theme/theme-menu-items";
import { useSaveThemePreference } from "@/components/theme/theme-sync";
import { Avatar } from "@/components/ui/avatar";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toaster";
import { authClient } from "@/lib/auth-client";
import { openAfterSessionChange } from "@/lib/session-change";
import { clearDrafts } from "@/lib/chat/drafts";

export interface ShellUser {
  id: string;
  name: string;
  email: string;
  image: string | null;
}

export function UserMenu({ user }: { user: ShellUser }) {
  const saveTheme = useSaveThemePreference();
  const [statusOpen, setStatusOpen] = useState(false);

  async function signOut() {
    const { error } = await authClient.signOut();
    if (error) {
      toast.error(error.message ?? "Sign-out failed. Try again.");
      return;
    }
    clearDrafts();
    openAfterSessionChange("/sign-in");
  }

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger
          aria-label={`Account menu for ${user.name}`}
          className="flex items-center gap-2 rounded-full p-0.5 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring sm:rounded-md sm:py-1 sm:pr-2 sm:pl-1 sm:hover:bg-accent"
        >
          <Avatar name={user.name} image={user.image} />
          <span
            className="hidden max-w-40 truncate text-sm font-medium sm:inline"
            data-testid="nav-user-name"
          >
            {user.name}
          </span>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-60">
          <DropdownMenuLabel className="font-normal">
            <span className="block truncate text-sm font-medium text-foreground">{user.name}</span>
            <span className="block truncate">{user.email}</span>
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setStatusOpen(true)}>
            <Smile aria-hidden="true" />
            Set a status…
          </DropdownMenuItem>
          <DropdownMenuItem asChild>
            <Link href="/settings/profile">
              <User aria-hidden="true" />
              Profile
            </Link>
          </DropdownMenuItem>
          <DropdownMenuItem asChild>
            <Link href="/settings/api-keys">
              <KeyRound aria-hidden="true" />
              API keys
            </Link>
          </DropdownMenuItem>
          <DropdownMenuItem asChild>
            <Link href="/settings/audit">
              <ScrollText aria-hidden="true" />
              Audit log
            </Link>
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <ThemeMenuItems onChange={saveTheme} />
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => void signOut()}>
            <LogOut aria-hidden="true" />
            Sign out
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <StatusDialog open={statusOpen} onOpenChange={setStatusOpen} />
    </>
  );
}
