"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { UnreadBadge } from "@/components/realtime/unread-badge";
import { cn } from "@/lib/utils";
import { ADMIN_NAV, isActive, MAIN_NAV } from "./nav-items";

/** The main navigation; the current section is marked for sight and for screen readers. */
export function NavLinks({ isAdmin, onNavigate }: { isAdmin: boolean; onNavigate?: () => void }) {
  const pathname = usePathname();
  const items = isAdmin ? [...MAIN_NAV, ADMIN_NAV] : MAIN_NAV;
  return (
    <ul className="space-y-1">
      {items.map((item) => {
        const active = isActive(pathname, item.match);
        const Icon = item.icon;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-ring",
                active
                  ? "bg-primary-soft text-primary-text"
                  : "text-muted-foreground hover:bg-accent hover:text-foreground",
              )}
            >
              <Icon aria-hidden="true" className="size-4 shrink-0" />
              <span className="flex-1">{item.label}</span>
              {item.href === "/chat" ? <UnreadBadge /> : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
