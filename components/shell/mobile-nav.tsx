"use client";

import { Menu } from "lucide-react";
import { Dialog as DialogPrimitive } from "radix-ui";
import { useState } from "react";
import { overlayClassName } from "@/components/ui/dialog";
import { NavLinks } from "./nav-links";
import { WorkspaceSwitcher } from "@/components/workspaces/workspace-switcher";
import type { WorkspaceSummary } from "@/contracts/workspaces";

/** Below `md` the sidebar becomes a drawer behind a menu button. */
export function MobileNav({
  isAdmin,
  workspace,
}: {
  isAdmin: boolean;
  workspace: WorkspaceSummary;
}) {
  const [open, setOpen] = useState(false);
  return (
    <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
      <DialogPrimitive.Trigger
        className="rounded-md p-2 text-foreground hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring md:hidden"
        aria-label="Open navigation"
      >
        <Menu aria-hidden="true" className="size-5" />
      </DialogPrimitive.Trigger>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className={overlayClassName} />
        <DialogPrimitive.Content className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] border-r border-border bg-card p-4 shadow-xl focus-visible:outline-none">
          <DialogPrimitive.Title className="mb-4 px-3 text-lg font-bold text-primary-text">
            Parley
          </DialogPrimitive.Title>
          <DialogPrimitive.Description className="sr-only">
            Main navigation
          </DialogPrimitive.Description>
          <div className="mb-4">
            <WorkspaceSwitcher current={workspace} />
          </div>
          <nav aria-label="Main">
            <NavLinks isAdmin={isAdmin} onNavigate={() => setOpen(false)} />
          </nav>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
