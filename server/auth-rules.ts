import "server-only";

import { createAuthMiddleware } from "better-auth/api";
import { checkAdminAction } from "./auth-admin-rules";
import { checkProfileWrite } from "./auth-profile-rules";

/** Parley's rules for Better Auth's own endpoints, checked before Better Auth runs them. */
export const guardAuthCalls = createAuthMiddleware(async (ctx) => {
  checkProfileWrite(ctx);
  await checkAdminAction(ctx);
});
