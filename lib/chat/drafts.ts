"use client";

import { useSyncExternalStore } from "react";

/**
 * What someone has typed in a chat and not sent, kept per chat in the browser's local
 * storage: it survives switching chats, reloading and closing the tab, shows in the chat list
 * ("Draft: …"), and is wiped when the person signs out, so the next person at the browser
 * reads none of it.
 */
const PREFIX = "parley.draft.";

const listeners = new Set<() => void>();

function changed(): void {
  for (const listener of listeners) listener();
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage refused (a sandboxed frame, some private modes): drafts are a convenience.
    return null;
  }
}

/** The key of a thread's draft, apart from its chat's. */
export function threadDraftKey(chatId: string, rootId: string): string {
  return `${chatId}.thread.${rootId}`;
}

export function readDraft(chatId: string): string {
  try {
    return storage()?.getItem(PREFIX + chatId) ?? "";
  } catch {
    return "";
  }
}

export function writeDraft(chatId: string, text: string): void {
  const store = storage();
  if (!store || readDraft(chatId) === text) return;
  try {
    if (text.trim()) store.setItem(PREFIX + chatId, text);
    else store.removeItem(PREFIX + chatId);
  } catch {
    // Storage full: the draft stays in the box, only not across a reload.
  }
  changed();
}

/** Every draft of this browser; at sign-out, before the next person can sit down. */
export function clearDrafts(): void {
  const store = storage();
  if (!store) return;
  const keys = Array.from({ length: store.length }, (_, i) => store.key(i)).filter(
    (key): key is string => key?.startsWith(PREFIX) === true,
  );
  for (const key of keys) store.removeItem(key);
  changed();
}

/** Drafts typed in another tab of the same browser: one listener for every subscriber. */
function onStorage(event: StorageEvent): void {
  if (event.key === null || event.key.startsWith(PREFIX)) changed();
}

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener("storage", onStorage);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener("storage", onStorage);
  };
}

/** The draft of a chat, kept current as it is typed here or in another tab; "" on the server. */
export function useDraft(chatId: string): string {
  return useSyncExternalStore(
    subscribe,
    () => readDraft(chatId),
    () => "",
  );
}
