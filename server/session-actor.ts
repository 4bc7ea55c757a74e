import "server-only";

import type { RlsActor } from "@/db/rls";
import type { AuthSession } from "./auth";

/** Who a signed-in request runs as: its user, in the workspace its session has selected. */
export function sessionActor(session: AuthSession): RlsActor {
  return {
    userId: session.user.id,
    organizationId: session.session.activeOrganizationId ?? null,
  };
}
