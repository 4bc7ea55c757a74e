import { KeyRound, LayoutDashboard, MessageSquare, Settings, Shield, Users } from "lucide-react";

export const MAIN_NAV = [
  { href: "/dashboard", label: "Dashboard", icon: LayoutDashboard, match: "/dashboard" },
  { href: "/chat", label: "Chat", icon: MessageSquare, match: "/chat" },
  { href: "/workspace", label: "Workspace", icon: Users, match: "/workspace" },
  { href: "/settings/profile", label: "Settings", icon: Settings, match: "/settings" },
] as const;

export const ADMIN_NAV = { href: "/admin", label: "Admin", icon: Shield, match: "/admin" } as const;

export const API_DOCS_NAV = {
  href: "/docs/api",
  label: "API docs",
  icon: KeyRound,
  match: "/docs",
} as const;

export function isActive(pathname: string, match: string): boolean {
  return pathname === match || pathname.startsWith(`${match}/`);
}
