import type { PresenceState } from "./channel-registry";
import type { PresenceMeta } from "./events";

export interface OnlineUsers {
  /** Sorted, so the array only changes when who is online changes. */
  userIds: string[];
  byId: Record<string, PresenceMeta>;
  /**
   * Whether the server has said who is online yet. Until it has, nobody is known to be
   * offline either: saying "Offline" then would be wrong for everyone who is online.
   */
  known: boolean;
}

export const NOT_YET_KNOWN: OnlineUsers = { userIds: [], byId: {}, known: false };

/**
 * Who is online, from a presence state as either server sends it. Parley's gateway keys it
 * by user id and sends one meta per user, filled from the user's profile. Hosted Realtime
 * keys it by the join's `presence.key` and sends every tracked meta as the client tracked it:
 * a user with two tabs has two metas under one key. A key whose metas do not name it as
 * their user is not a Parley user's (an older client's random key) and is left out.
 */
export function toOnline(state: PresenceState): OnlineUsers {
  const byId: Record<string, PresenceMeta> = {};
  for (const [key, metas] of Object.entries(state)) {
    let first: PresenceMeta | undefined;
    for (const meta of metas) {
      if (meta.userId !== key || typeof meta.name !== "string") continue;
      const onlineAt = typeof meta.onlineAt === "string" ? meta.onlineAt : "";
      // The tab online longest stands for the user, as on the gateway, so the name shown
      // does not flip between tabs.
      if (first && first.onlineAt <= onlineAt) continue;
      first = {
        userId: key,
        name: meta.name,
        image: typeof meta.image === "string" ? meta.image : null,
        onlineAt,
      };
    }
    if (first) byId[key] = first;
  }
  return { userIds: Object.keys(byId).sort(), byId, known: true };
}

/** `next`, or `previous` when the same people are online under the same names. */
export function samePeople(previous: OnlineUsers, next: OnlineUsers): OnlineUsers {
  const same =
    previous.known === next.known &&
    previous.userIds.length === next.userIds.length &&
    previous.userIds.every(
      (id, i) =>
        id === next.userIds[i] &&
        previous.byId[id]?.name === next.byId[id]?.name &&
        previous.byId[id]?.image === next.byId[id]?.image,
    );
  return same ? previous : next;
}
