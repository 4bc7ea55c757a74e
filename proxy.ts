import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_PATH_HEADER } from "@/lib/request-path";

/**
 * Tells server components which URL they are rendering. A signed-out visitor is sent to
 * sign-in with `next` set to the page they asked for: layouts cannot see the path, and a
 * layout and its page render in parallel, so whichever redirects first must know it. The
 * header is always overwritten here, never taken from the client.
 */
export function proxy(request: NextRequest) {
  const forwarded = new Headers(request.headers);
  forwarded.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers: forwarded } });
}

export const config = {
  matcher: [
    "/dashboard/:path*",
    "/chat/:path*",
    "/settings/:path*",
    "/workspace/:path*",
    "/admin/:path*",
  ],
};
