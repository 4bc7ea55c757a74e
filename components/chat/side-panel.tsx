"use client";

import { X } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";

export interface SidePanelState {
  id: string;
  open: boolean;
  /** A column beside the messages (wide screens), or a sheet over them. */
  wide: boolean;
  setOpen: (open: boolean) => void;
}

/**
 * A panel about the open conversation (its info, a thread): a column beside the messages on
 * wide screens, a sheet from the right on narrow ones. `onClosed` puts the focus back where
 * the panel was opened from.
 */
export function SidePanel({
  state,
  title,
  closeLabel,
  description,
  testId,
  widthClassName = "w-72",
  onClosed,
  children,
}: {
  state: SidePanelState;
  title: string;
  closeLabel: string;
  /** Said to assistive technology when the sheet opens. */
  description: string;
  testId: string;
  widthClassName?: string;
  onClosed: () => void;
  children: ReactNode;
}) {
  if (state.wide) {
    if (!state.open) return null;
    return (
      <aside
        id={state.id}
        aria-labelledby={`${state.id}-title`}
        className={`flex ${widthClassName} shrink-0 flex-col border-l border-border`}
        data-testid={testId}
      >
        <div className="flex items-center justify-between border-b border-border px-4 py-3">
          <h2 id={`${state.id}-title`} className="font-semibold">
            {title}
          </h2>
          <Button
            variant="ghost"
            size="icon"
            aria-label={closeLabel}
            onClick={() => {
              state.setOpen(false);
              onClosed();
            }}
          >
            <X aria-hidden="true" />
          </Button>
        </div>
        <div className="flex min-h-0 flex-1 flex-col overflow-y-auto">{children}</div>
      </aside>
    );
  }
  return (
    <Dialog open={state.open} onOpenChange={state.setOpen}>
      <DialogContent
        id={state.id}
        data-testid={testId}
        closeLabel={closeLabel}
        // The sheet has no Radix trigger to return to: the focus goes where it came from.
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          onClosed();
        }}
        className="top-0 right-0 left-auto flex h-dvh max-h-dvh w-[min(24rem,100vw)] max-w-none translate-x-0 translate-y-0 flex-col gap-0 rounded-none border-y-0 border-r-0 p-0"
      >
        <div className="border-b border-border px-4 py-3 pr-12">
          <DialogTitle className="text-base">{title}</DialogTitle>
          <DialogDescription className="sr-only">{description}</DialogDescription>
        </div>
        <div className="flex min-h-0 flex-1 flex-col overflow-y-auto">{children}</div>
      </DialogContent>
    </Dialog>
  );
}
