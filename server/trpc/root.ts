import "server-only";

import { adminRouter } from "@/server/routers/admin";
import { apiKeysRouter } from "@/server/routers/api-keys";
import { auditRouter } from "@/server/routers/audit";
import { callsRouter } from "@/server/routers/calls";
import { chatsRouter } from "@/server/routers/chats";
import { dashboardRouter } from "@/server/routers/dashboard";
import { dataExportsRouter } from "@/server/routers/data-exports";
import { meRouter } from "@/server/routers/me";
import { messagesRouter } from "@/server/routers/messages";
import { metasRouter } from "@/server/routers/metas";
import { pinsRouter } from "@/server/routers/pins";
import { preferencesRouter } from "@/server/routers/preferences";
import { presenceRouter } from "@/server/routers/presence";
import { realtimeRouter } from "@/server/routers/realtime";
import { savedRouter } from "@/server/routers/saved";
import { mentionsRouter } from "@/server/routers/mentions";
import { pushRouter } from "@/server/routers/push";
import { securityRouter } from "@/server/routers/security";
import { statusRouter } from "@/server/routers/status";
import { threadsRouter } from "@/server/routers/threads";
import { usersRouter } from "@/server/routers/users";
import { webhooksRouter } from "@/server/routers/webhooks";
import { workspacesRouter } from "@/server/routers/workspaces";
import { createTRPCRouter } from "./init";

export const appRouter = createTRPCRouter({
  me: meRouter,
  metas: metasRouter,
  preferences: preferencesRouter,
  presence: presenceRouter,
  chats: chatsRouter,
  messages: messagesRouter,
  pins: pinsRouter,
  saved: savedRouter,
  mentions: mentionsRouter,
  push: pushRouter,
  threads: threadsRouter,
  calls: callsRouter,
  users: usersRouter,
  status: statusRouter,
  apiKeys: apiKeysRouter,
  audit: auditRouter,
  realtime: realtimeRouter,
  admin: adminRouter,
  dashboard: dashboardRouter,
  security: securityRouter,
  dataExports: dataExportsRouter,
  workspaces: workspacesRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
