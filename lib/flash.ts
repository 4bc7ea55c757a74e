const KEY = "parley.flash";

/**
 * A message for the next page this tab loads: a change that reloads the app (leaving a
 * workspace, being removed from one) still tells the person what happened.
 */
export function setFlash(message: string): void {
  try {
    sessionStorage.setItem(KEY, message);
  } catch {
    // Storage off (private mode): the page loads without the message.
  }
}

/** The waiting message, once. */
export function takeFlash(): string | null {
  try {
    const message = sessionStorage.getItem(KEY);
    if (message !== null) sessionStorage.removeItem(KEY);
    return message;
  } catch {
    return null;
  }
}
