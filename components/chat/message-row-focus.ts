import type { KeyboardEvent } from "react";

/** Marks a message (or a group event) the keyboard can move to inside the conversation. */
export const MESSAGE_ROW = { "data-message-row": "" } as const;

const ROW_SELECTOR = "[data-message-row]";

/** The message row at or inside `element` (a jump target wraps its message). */
export function messageRowOf(element: HTMLElement): HTMLElement {
  return element.matches(ROW_SELECTOR)
    ? element
    : (element.querySelector<HTMLElement>(ROW_SELECTOR) ?? element);
}

function visibleRows(log: HTMLElement, rows: HTMLElement[]): HTMLElement[] {
  const view = log.getBoundingClientRect();
  return rows.filter((row) => {
    const box = row.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  });
}

/**
 * Moves the focus between messages with the arrow keys, so the conversation is one Tab stop
 * however many messages are loaded: from the log, Up reaches the last message in view and
 * Down the first; from a message, Up and Down go to its neighbours, Home and End to the first
 * and last loaded, Escape back to the log. A message's own keys (Enter opens its actions)
 * are the message's.
 */
export function moveBetweenMessages(event: KeyboardEvent<HTMLElement>): void {
  const log = event.currentTarget;
  const target = event.target as HTMLElement;
  const onRow = target.matches(ROW_SELECTOR);
  if (target !== log && !onRow) return;
  const rows = [...log.querySelectorAll<HTMLElement>(ROW_SELECTOR)];
  if (rows.length === 0) return;
  const index = onRow ? rows.indexOf(target) : -1;
  let next: HTMLElement | undefined;
  switch (event.key) {
    case "ArrowUp":
      next = onRow ? rows[index - 1] : (visibleRows(log, rows).at(-1) ?? rows.at(-1));
      break;
    case "ArrowDown":
      next = onRow ? rows[index + 1] : (visibleRows(log, rows)[0] ?? rows[0]);
      break;
    case "Home":
      next = onRow ? rows[0] : undefined;
      break;
    case "End":
      next = onRow ? rows.at(-1) : undefined;
      break;
    case "Escape":
      next = onRow ? log : undefined;
      break;
    default:
      return;
  }
  if (!next) return;
  event.preventDefault();
  next.focus();
}
