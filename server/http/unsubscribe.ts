import "server-only";

import { withRls } from "@/db/rls";
import { AppError } from "@/server/errors";
import { userOfUnsubscribeToken } from "@/server/notifications/unsubscribe-token";
import { updatePreferences } from "@/server/services/preferences";
import { errorResponse } from "./error-response";

const tokenOf = (request: Request) => new URL(request.url).searchParams.get("token") ?? "";

/**
 * A digest's unsubscribe link opened in a browser: nothing changes on a GET (mail scanners
 * open links), it leads to the page that asks to confirm.
 */
export function openUnsubscribe(request: Request): Response {
  const page = new URL("/unsubscribe", request.url);
  page.searchParams.set("token", tokenOf(request));
  return new Response(null, { status: 303, headers: { location: page.pathname + page.search } });
}

/**
 * Turns the digests off for the token's user, without signing in: the one-click POST a mail
 * client sends (RFC 8058, `List-Unsubscribe=One-Click`) and the confirm page's form alike. As
 * that user under RLS, like any change to their preferences.
 */
export async function unsubscribe(request: Request): Promise<Response> {
  const userId = userOfUnsubscribeToken(tokenOf(request));
  if (!userId) {
    return errorResponse(
      new AppError(
        "NOT_FOUND",
        "This unsubscribe link is not valid; change email settings after signing in",
      ),
    );
  }
  await withRls({ userId, organizationId: null }, (tx) =>
    updatePreferences(tx, { userId, changes: { emailNotifications: false } }),
  );
  // The confirm page's form gets a page back; a mail client's one-click only needs the status.
  if (request.headers.get("accept")?.includes("text/html")) {
    return new Response(null, { status: 303, headers: { location: "/unsubscribe?done=1" } });
  }
  return new Response("Digest emails are off.\n", {
    status: 200,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
