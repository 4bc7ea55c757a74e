import { passkeyClient } from "@better-auth/passkey/client";
import { adminClient, organizationClient, twoFactorClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";
import { workspaceAccess, workspaceRoles } from "@/lib/workspaces/roles";

/** Better Auth in the browser: same origin, so no base URL to configure. */
export const authClient = createAuthClient({
  plugins: [
    // The sign-in form moves on to the code itself when the answer asks for a second factor.
    twoFactorClient(),
    passkeyClient(),
    adminClient(),
    organizationClient({
      ac: workspaceAccess,
      roles: workspaceRoles,
      dynamicAccessControl: { enabled: true },
    }),
  ],
});
