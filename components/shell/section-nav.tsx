"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

export interface SectionNavItem {
  href: string;
  label: string;
  /** Active only on this exact path (an index page), not on the pages below it. */
  exact?: boolean;
}

/** The sections of an area: a column on wide screens (`2xl`), where the content beside it keeps room for its tables; a scrollable row of tabs above the content. */
export function SectionNav({ label, items }: { label: string; items: readonly SectionNavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label}>
      <ul className="-mx-1 flex gap-1 overflow-x-auto pb-1 2xl:mx-0 2xl:flex-col 2xl:overflow-visible 2xl:pb-0">
        {items.map((item) => {
          const active =
            pathname === item.href || (!item.exact && pathname.startsWith(`${item.href}/`));
          return (
            <li key={item.href} className="shrink-0">
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "block rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-ring",
                  active
                    ? "bg-primary-soft text-primary-text"
                    : "text-muted-foreground hover:bg-accent hover:text-foreground",
                )}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
