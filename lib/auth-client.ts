import { adminClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

/** Better Auth in the browser: same origin, so no base URL to configure. */
export const authClient = createAuthClient({
  plugins: [adminClient()],
});
