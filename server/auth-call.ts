import "server-only";

import type { createAuthMiddleware } from "better-auth/api";

/** What a Better Auth before-hook is given. */
export type AuthCallContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];
