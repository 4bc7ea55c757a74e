import { describe, expect, it } from "vitest";
import { getAuth } from "@/server/auth";
import { env } from "@/server/env";
import { useTestDatabase } from "@/test/database";
import { signUp } from "@/test/users";
import { authErrorMessage, rateLimitMessage, retryAfterSeconds } from "./auth-errors";

useTestDatabase();

/** A sign-in as the browser sends it, through Better Auth's HTTP handler (rate limits on). */
async function signInOverHttp(email: string, password: string, ip: string): Promise<Response> {
  return getAuth().handler(
    new Request(`${env.appUrl}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: env.appUrl, "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

async function failureOf(response: Response) {
  const body = (await response.json()) as { code?: string; message?: string };
  return { status: response.status, ...body };
}

describe("sign-in error messages", () => {
  it("says a wrong password is an invalid email or password", async () => {
    const ann = await signUp("Ann");
    const response = await signInOverHttp(ann.email, "not the password", "198.51.100.1");
    expect(response.status).toBe(401);
    expect(authErrorMessage(await failureOf(response), null, "fallback")).toBe(
      "Invalid email or password",
    );
  });

  it("tells a rate-limited client how many seconds to wait", async () => {
    const ben = await signUp("Ben");
    let response: Response | undefined;
    for (let attempt = 0; attempt < 11; attempt++) {
      response = await signInOverHttp(ben.email, "wrong guess", "198.51.100.2");
    }
    expect(response?.status).toBe(429);
    const seconds = retryAfterSeconds(response);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    const failure = await failureOf(response as Response);
    expect(authErrorMessage(failure, seconds, "fallback")).toBe(
      `Too many attempts. Try again in ${seconds} seconds.`,
    );
  });

  it("words the wait without a header, and in the singular", () => {
    expect(rateLimitMessage(null)).toBe("Too many attempts. Try again in a minute.");
    expect(rateLimitMessage(1)).toBe("Too many attempts. Try again in 1 second.");
    expect(retryAfterSeconds(new Response(null, { headers: { "Retry-After": "7" } }))).toBe(7);
    expect(retryAfterSeconds(new Response(null, { headers: { "Retry-After": "soon" } }))).toBe(
      null,
    );
  });

  it("passes a ban reason through and hides server failures", () => {
    const banned = {
      status: 403,
      code: "BANNED_USER",
      message: "Your account has been suspended: spam",
    };
    expect(authErrorMessage(banned, null, "fallback")).toBe(
      "Your account has been suspended: spam",
    );
    expect(authErrorMessage({ status: 500, message: "db exploded" }, null, "fallback")).toBe(
      "fallback",
    );
  });
});
