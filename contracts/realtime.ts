import { z } from "zod";

export const realtimeTokenSchema = z.object({
  /** HS256 JWT: `sub` the user, `role: authenticated`, `exp` fifteen minutes out. */
  token: z.string(),
  expiresAt: z.date(),
});
export type RealtimeToken = z.infer<typeof realtimeTokenSchema>;

/** What the browser needs to open its Supabase client. */
export const realtimeClientConfigSchema = z.object({
  /** Hosted Supabase's URL; null means this app's own origin (Parley's gateway). */
  url: z.string().nullable(),
  anonKey: z.string(),
});
export type RealtimeClientConfig = z.infer<typeof realtimeClientConfigSchema>;

/** REST v1's realtime token for an API key: the token and what a supabase-js client needs. */
export const apiRealtimeTokenSchema = realtimeTokenSchema.extend({
  /** The first argument of supabase-js `createClient`. */
  url: z.url(),
  /** Its second argument: the project's anon key, the same for every client. */
  anonKey: z.string(),
});
export type ApiRealtimeToken = z.infer<typeof apiRealtimeTokenSchema>;
