import "server-only";

import { createAuthMiddleware } from "better-auth/api";
import { auditAuthCall } from "./auth-audit";
import { noticeSecurityChange } from "./auth-security-notices";
import { rememberUsedTotp } from "./auth-two-factor-rules";

/**
 * What Parley does after Better Auth has answered: a spent code remembered, the audit row,
 * then any owner's notice.
 */
export const afterAuthCalls = createAuthMiddleware(async (ctx) => {
  await rememberUsedTotp(ctx);
  await auditAuthCall(ctx);
  await noticeSecurityChange(ctx);
});
