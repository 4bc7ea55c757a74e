import "server-only";

import type { RealtimeBus } from "./bus";
import type { ChannelTable } from "./channel-table";
import type { GatewayLimits } from "./connection";
import type { PostgresChangeDispatcher } from "./postgres-changes";
import type { PresenceRegistry } from "./presence";
import type { PresenceView } from "./presence-view";
import type { SocketCounts } from "./socket-counts";
import type { RefusalHold } from "@/server/limits/refusal-hold";

/** What the gateway shares with the handlers it delegates to; each takes only what it uses. */
export interface GatewayState {
  readonly bus: RealtimeBus;
  readonly limits: GatewayLimits;
  readonly channels: ChannelTable;
  readonly presence: PresenceRegistry;
  /** Presence as clients are told it: one entry per user, diffs coalesced. */
  readonly presenceView: PresenceView;
  readonly changes: PostgresChangeDispatcher;
  readonly sockets: SocketCounts;
  /** Where a refusal for being over a limit waits before it is sent. */
  readonly refusalHold: RefusalHold;
  /** Makes the capture claims match the tables subscribed to now; resolves once they do. */
  updateCapture(): Promise<void>;
}
