import { SectionNav } from "@/components/shell/section-nav";

const ITEMS = [
  { href: "/settings/profile", label: "Profile" },
  { href: "/settings/preferences", label: "Preferences" },
  { href: "/settings/security", label: "Security" },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/webhooks", label: "Webhooks" },
  { href: "/settings/audit", label: "Audit log" },
  { href: "/settings/data", label: "Your data" },
] as const;

export function SettingsNav() {
  return <SectionNav label="Settings" items={ITEMS} />;
}
