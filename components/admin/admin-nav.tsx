import { SectionNav } from "@/components/shell/section-nav";

const ITEMS = [
  { href: "/admin", label: "Overview", exact: true },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/audit", label: "Audit" },
  { href: "/admin/health", label: "Health" },
] as const;

export function AdminNav() {
  return <SectionNav label="Admin" items={ITEMS} />;
}
