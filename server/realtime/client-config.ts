import "server-only";

import type { RealtimeClientConfig } from "@/contracts/realtime";
import { env } from "@/server/env";
import { realtimeAnonKey } from "./tokens";

/** The Supabase client settings a page hands to the browser. */
export async function realtimeClientConfig(): Promise<RealtimeClientConfig> {
  return { url: env.supabase?.url ?? null, anonKey: await realtimeAnonKey() };
}
