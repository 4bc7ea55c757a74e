import "server-only";

import type { DatabaseHandle } from "@/db/client";

/** Where the database announces an ended membership (drizzle/0037_workspace_invitations.sql). */
const WORKSPACE_LEFT_CHANNEL = "parley_workspace_left";

export interface WorkspaceDeparture {
  userId: string;
  organizationId: string;
}

/**
 * Calls `onLeft` for every membership that ends — leaving, removal, a workspace deleted —
 * whichever process or Better Auth call ended it: the database says so on commit. Resolves
 * once listening; the returned function stops.
 */
export function watchWorkspaceDepartures(
  database: DatabaseHandle,
  onLeft: (departure: WorkspaceDeparture) => void,
): Promise<() => Promise<void>> {
  return database.listen(WORKSPACE_LEFT_CHANNEL, (payload) =>
    onLeft(JSON.parse(payload) as WorkspaceDeparture),
  );
}
