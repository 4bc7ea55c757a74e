import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { RealtimeClientConfig } from "@/contracts/realtime";
import { ChannelRegistry, type PresenceProfile } from "./channel-registry";
import { createTokenSource, type IssuedToken } from "./token-source";

export interface BrowserRealtime {
  userId: string;
  client: SupabaseClient;
  channels: ChannelRegistry;
}

let current: BrowserRealtime | undefined;

/**
 * The page's one Supabase client (a second would open a second socket), for the signed-in
 * user. Signing in as someone else without a full reload replaces it: the old one's cached
 * token and channels belong to the previous user. A new name or picture of the same user
 * keeps it and is tracked anew.
 */
export function getBrowserRealtime(params: {
  config: RealtimeClientConfig;
  user: PresenceProfile;
  fetchToken: () => Promise<IssuedToken>;
}): BrowserRealtime {
  if (current?.userId === params.user.userId) {
    current.channels.setSelf(params.user);
    return current;
  }
  if (current) void retire(current);
  const client = createClient(params.config.url ?? window.location.origin, params.config.anonKey, {
    accessToken: createTokenSource(params.fetchToken),
  });
  current = {
    userId: params.user.userId,
    client,
    channels: new ChannelRegistry(client, { self: params.user }),
  };
  return current;
}

async function retire(old: BrowserRealtime): Promise<void> {
  await old.channels.closeAll();
  await old.client.realtime.disconnect();
}
