"use client";

import { X } from "lucide-react";
import { useCallback, useId, useState, useSyncExternalStore, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";

/** Wide enough for the list, the messages and the info column side by side (Tailwind `xl`). */
const WIDE_QUERY = "(min-width: 80rem)";
/** On wide screens the column stays open across chats and reloads, like a layout choice. */
const STORAGE_KEY = "parley:chat-info-open";
const CHANGED = "parley:chat-info-changed";

function subscribeWide(onChange: () => void) {
  const query = window.matchMedia(WIDE_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

function subscribeStored(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

function readStored(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === "open";
  } catch {
    return false;
  }
}

function writeStored(open: boolean) {
  try {
    if (open) localStorage.setItem(STORAGE_KEY, "open");
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage may be unavailable (private mode): the column still toggles for this page.
  }
  window.dispatchEvent(new Event(CHANGED));
}

export interface InfoPanelState {
  id: string;
  open: boolean;
  wide: boolean;
  setOpen: (open: boolean) => void;
}

/** The id of the header button that opens the panel: focus goes back to it on close. */
export const toggleIdOf = (state: Pick<InfoPanelState, "id">) => `${state.id}-toggle`;

function focusToggle(state: InfoPanelState) {
  document.getElementById(toggleIdOf(state))?.focus();
}

/**
 * Whether the conversation info is showing. Wide screens remember the choice; on narrow
 * screens it is a sheet that opens only when asked for.
 */
export function useInfoPanel(): InfoPanelState {
  const id = useId();
  const wide = useSyncExternalStore(
    subscribeWide,
    () => window.matchMedia(WIDE_QUERY).matches,
    () => false,
  );
  const storedOpen = useSyncExternalStore(subscribeStored, readStored, () => false);
  const [sheetOpen, setSheetOpen] = useState(false);
  const setOpen = useCallback(
    (next: boolean) => (wide ? writeStored(next) : setSheetOpen(next)),
    [wide],
  );
  return { id, open: wide ? storedOpen : sheetOpen, wide, setOpen };
}

/** The info panel as a column beside the messages, or as a sheet from the right. */
export function InfoPanelFrame({
  state,
  children,
}: {
  state: InfoPanelState;
  children: ReactNode;
}) {
  if (state.wide) {
    if (!state.open) return null;
    return (
      <aside
        id={state.id}
        aria-labelledby={`${state.id}-title`}
        className="flex w-72 shrink-0 flex-col border-l border-border"
        data-testid="info-panel"
      >
        <div className="flex items-center justify-between border-b border-border px-4 py-3">
          <h2 id={`${state.id}-title`} className="font-semibold">
            Conversation info
          </h2>
          <Button
            variant="ghost"
            size="icon"
            aria-label="Close conversation info"
            onClick={() => {
              state.setOpen(false);
              focusToggle(state);
            }}
          >
            <X aria-hidden="true" />
          </Button>
        </div>
        <div className="min-h-0 flex-1 overflow-y-auto">{children}</div>
      </aside>
    );
  }
  return (
    <Dialog open={state.open} onOpenChange={state.setOpen}>
      <DialogContent
        id={state.id}
        data-testid="info-panel"
        // The sheet has no Radix trigger to return to: give focus back to the header button.
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          focusToggle(state);
        }}
        className="top-0 right-0 left-auto h-dvh max-h-dvh w-[min(22rem,100vw)] max-w-none translate-x-0 translate-y-0 rounded-none border-y-0 border-r-0 p-0"
      >
        <div className="border-b border-border px-4 py-3 pr-12">
          <DialogTitle className="text-base">Conversation info</DialogTitle>
          <DialogDescription className="sr-only">
            Members, notifications and files of this chat.
          </DialogDescription>
        </div>
        {children}
      </DialogContent>
    </Dialog>
  );
}
