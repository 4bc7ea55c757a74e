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
