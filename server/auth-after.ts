import "server-only";

import { createAuthMiddleware } from "better-auth/api";
import { auditAuthCall } from "./auth-audit";
import { noticeSecurityChange } from "./auth-security-notices";

/** What Parley does after Better Auth has answered: the audit row, then any owner's notice. */
export const afterAuthCalls = createAuthMiddleware(async (ctx) => {
  await auditAuthCall(ctx);
  await noticeSecurityChange(ctx);
});
