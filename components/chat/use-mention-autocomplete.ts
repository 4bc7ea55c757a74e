"use client";

import { useId, useState, type KeyboardEvent, type RefObject } from "react";
import {
  activeMentionQuery,
  insertMention,
  mentionSuggestions,
  suggestionLabel,
  type Mentionable,
  type MentionSuggestion,
} from "@/lib/chat/mention-draft";

/**
 * "@" suggestions for a message box: which apply at the caret, which one is active, and the
 * keys that move and pick (Up, Down, Enter or Tab, Escape). The box stays a plain textarea
 * pointing at the active option (`aria-activedescendant`), as a listbox popup should.
 */
export function useMentionAutocomplete({
  text,
  setText,
  input,
  mentionable,
}: {
  text: string;
  setText: (text: string) => void;
  input: RefObject<HTMLTextAreaElement | null>;
  mentionable: Mentionable;
}) {
  const listId = useId();
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  /** Where the "@" was whose suggestions Escape closed: they stay closed for it. */
  const [dismissed, setDismissed] = useState<number | null>(null);
  const query = activeMentionQuery(text, caret);
  const suggestions: MentionSuggestion[] =
    query && query.start !== dismissed
      ? mentionSuggestions(query.query, mentionable.people, { everyone: mentionable.everyone })
      : [];
  const open = suggestions.length > 0;
  const current = Math.min(active, suggestions.length - 1);
  const optionId = (index: number) => `${listId}-option-${index}`;

  const pick = (suggestion: MentionSuggestion) => {
    if (!query) return;
    const next = insertMention(text, query, suggestionLabel(suggestion));
    setText(next.text);
    setCaret(next.caret);
    setActive(0);
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(next.caret, next.caret);
    });
  };

  /** Handles the key when the suggestions are open; true when it did. */
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || event.nativeEvent.isComposing) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((current + step + suggestions.length) % suggestions.length);
    } else if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
      pick(suggestions[current]!);
    } else if (event.key === "Escape") {
      setDismissed(query?.start ?? null);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  return {
    open,
    suggestions,
    active: current,
    listId,
    optionId,
    pick,
    onKeyDown,
    /** Follows the caret: call on every change and selection of the box. */
    track: (box: HTMLTextAreaElement) => {
      setCaret(box.selectionStart);
      if (box.selectionStart !== caret) setActive(0);
    },
    /** The attributes the box takes while suggestions are open. */
    boxProps: {
      "aria-autocomplete": "list" as const,
      "aria-controls": open ? listId : undefined,
      "aria-activedescendant": open ? optionId(current) : undefined,
    },
  };
}
