import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createTRPCContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

const handler = (request: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req: request,
    createContext: ({ resHeaders }) =>
      createTRPCContext({
        headers: request.headers,
        response: { setCookie: (cookie) => resHeaders.append("set-cookie", cookie) },
      }),
  });

export { handler as GET, handler as POST };
