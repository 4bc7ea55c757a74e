import "server-only";

import { createAuthMiddleware } from "better-auth/api";
import { checkAdminAction } from "./auth-admin-rules";
import { checkEmailChange } from "./auth-email-change-rules";
import { checkPasskeyCall } from "./auth-passkey-rules";
import { checkProfileWrite } from "./auth-profile-rules";
import { checkTotpReplay } from "./auth-two-factor-rules";
import {
  checkRoleChange,
  checkWorkspaceSelection,
  checkWorkspaceWrite,
} from "./workspaces/workspace-rules";

/** Parley's rules for Better Auth's own endpoints, checked before Better Auth runs them. */
export const guardAuthCalls = createAuthMiddleware(async (ctx) => {
  checkProfileWrite(ctx);
  checkWorkspaceWrite(ctx);
  checkRoleChange(ctx);
  await checkWorkspaceSelection(ctx);
  await checkAdminAction(ctx);
  const passkeyChange = await checkPasskeyCall(ctx);
  await checkEmailChange(ctx);
  await checkTotpReplay(ctx);
  return passkeyChange;
});
