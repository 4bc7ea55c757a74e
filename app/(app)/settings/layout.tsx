import type { ReactNode } from "react";
import { SettingsNav } from "@/components/settings/settings-nav";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex flex-col gap-6 2xl:flex-row 2xl:gap-10">
      <div className="2xl:w-48 2xl:shrink-0">
        <SettingsNav />
      </div>
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
