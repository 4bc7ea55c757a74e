/**
 * Opens `path` with a full page load after the signed-in person changes (sign-in, sign-up,
 * sign-out, impersonation): the shell, the realtime connection and every cached query belong
 * to whoever is signed in now, and nothing of the one before stays in the tab. A client-side
 * navigation would keep them, and would render the page twice (once to navigate, once to
 * refresh what the old session rendered).
 */
export function openAfterSessionChange(path: string): void {
  window.location.assign(path);
}
