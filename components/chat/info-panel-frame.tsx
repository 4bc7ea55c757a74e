"use client";

import { useCallback, useId, useState, useSyncExternalStore, type ReactNode } from "react";
import { SidePanel, type SidePanelState } from "./side-panel";

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

export type InfoPanelState = SidePanelState;

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
  return (
    <SidePanel
      state={state}
      title="Conversation info"
      closeLabel="Close conversation info"
      description="Members, notifications and files of this chat."
      testId="info-panel"
      onClosed={() => focusToggle(state)}
    >
      {children}
    </SidePanel>
  );
}
