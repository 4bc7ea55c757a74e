import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { initTRPC, TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { shouldRetryQuery } from "./query-retry";

const t = initTRPC.create();
const router = t.router({
  fails: t.procedure
    .input((value) => value as TRPCError["code"])
    .query(({ input }) => {
      throw new TRPCError({ code: input });
    }),
});

/** The error a real client gets for `code`, through a real tRPC endpoint. */
async function failureFor(code: TRPCError["code"] | "no answer"): Promise<unknown> {
  const client = createTRPCClient<typeof router>({
    links: [
      httpLink({
        url: "http://parley.test/api/trpc",
        fetch: (url, init) => {
          if (code === "no answer") return Promise.reject(new TypeError("Failed to fetch"));
          return fetchRequestHandler({
            endpoint: "/api/trpc",
            req: new Request(url, init as RequestInit),
            router,
          });
        },
      }),
    ],
  });
  return client.fails
    .query(code === "no answer" ? "NOT_FOUND" : code)
    .catch((error: unknown) => error);
}

describe("which failed queries are tried again", () => {
  it("tries again when no answer came or the server failed", async () => {
    for (const code of ["no answer", "INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"] as const) {
      const error = await failureFor(code);
      expect(error).toBeInstanceOf(TRPCClientError);
      expect(shouldRetryQuery(0, error), code).toBe(true);
      expect(shouldRetryQuery(3, error), code).toBe(false);
    }
  });

  it("takes a 4xx answer as final", async () => {
    for (const code of [
      "BAD_REQUEST",
      "UNAUTHORIZED",
      "FORBIDDEN",
      "NOT_FOUND",
      "CONFLICT",
      "TOO_MANY_REQUESTS",
    ] as const) {
      expect(shouldRetryQuery(0, await failureFor(code)), code).toBe(false);
    }
  });
});
