import { adminClient, organizationClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";
import { workspaceAccess, workspaceRoles } from "@/lib/workspaces/roles";

/** Better Auth in the browser: same origin, so no base URL to configure. */
export const authClient = createAuthClient({
  plugins: [
    adminClient(),
    organizationClient({
      ac: workspaceAccess,
      roles: workspaceRoles,
      dynamicAccessControl: { enabled: true },
    }),
  ],
});
