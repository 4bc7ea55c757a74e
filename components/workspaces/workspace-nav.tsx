import { SectionNav } from "@/components/shell/section-nav";

const ITEMS = [
  { href: "/workspace", label: "General", exact: true },
  { href: "/workspace/members", label: "Members" },
  { href: "/workspace/roles", label: "Roles" },
  { href: "/workspace/invitations", label: "Invitations" },
  { href: "/workspace/activity", label: "Activity" },
] as const;

export function WorkspaceNav() {
  return <SectionNav label="Workspace" items={ITEMS} />;
}
