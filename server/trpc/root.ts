import { meRouter } from "@/server/routers/me";
import { metasRouter } from "@/server/routers/metas";
import { createTRPCRouter } from "./init";

export const appRouter = createTRPCRouter({
  me: meRouter,
  metas: metasRouter,
});

export type AppRouter = typeof appRouter;
