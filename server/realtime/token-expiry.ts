import "server-only";

import { canJoin, loadProfile } from "./authorize";
import type { Channel } from "./channel";
import type { ChannelTable } from "./channel-table";
import { isPublishableKey, verifyRealtimeToken } from "./tokens";

// setTimeout's ceiling; longer expiries are re-armed.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Closes the channel when its token expires, unless a refresh has moved the expiry on. */
export function armExpiry(channels: ChannelTable, channel: Channel): void {
  clearTimeout(channel.expiryTimer);
  const remaining = channel.claims.exp * 1000 - Date.now();
  if (!Number.isFinite(remaining)) return;
  channel.expiryTimer = setTimeout(
    () => {
      if (channel.claims.exp * 1000 > Date.now()) {
        armExpiry(channels, channel);
        return;
      }
      const ago = Math.max(0, Math.floor(Date.now() / 1000 - channel.claims.exp));
      channels.shutdown(channel, `Token has expired ${ago} seconds ago`);
    },
    Math.min(Math.max(0, remaining), MAX_TIMER_MS),
  );
  channel.expiryTimer.unref();
}

/**
 * `access_token`: the channel continues under the new token, re-checked as its user; a
 * different user starts with no presence and their own profile.
 */
export async function refreshToken(
  channels: ChannelTable,
  channel: Channel,
  token: unknown,
): Promise<void> {
  if (typeof token !== "string" || token === "" || isPublishableKey(token)) return;
  const check = await verifyRealtimeToken(token);
  if (!check.ok) {
    channels.shutdown(channel, check.reason);
    return;
  }
  const before = channel.userId;
  if (!(await canJoin(check.claims, channel.subTopic))) {
    channels.shutdown(
      channel,
      `You no longer have permission to read from this Channel topic: ${channel.subTopic}`,
    );
    return;
  }
  channel.claims = check.claims;
  channel.sendAllowed.clear();
  if (check.claims.sub !== before) {
    channel.profile = check.claims.sub ? await loadProfile(check.claims.sub) : null;
    channels.untrack(channel);
  }
  armExpiry(channels, channel);
}
