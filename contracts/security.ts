import { z } from "zod";

/**
 * One of the caller's signed-in sessions as the browser sees it: an opaque id and what helps
 * a person recognise the device. Never the session token.
 */
export const sessionView = z.object({
  id: z.uuid(),
  current: z.boolean(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  deviceType: z.enum(["desktop", "mobile", "tablet", "other"]),
  ipAddress: z.string().nullable(),
  createdAt: z.date(),
  lastActiveAt: z.date(),
});
export type SessionView = z.infer<typeof sessionView>;

export const sessionList = z.array(sessionView);

export const revokeSessionInput = z.object({ id: z.uuid("Unknown session") }).strict();
export type RevokeSessionInput = z.infer<typeof revokeSessionInput>;

export const revokeResult = z.object({ revoked: z.number().int().min(0) });
