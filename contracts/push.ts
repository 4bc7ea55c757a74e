import { z } from "zod";

const base64url = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { message: `${what} must be base64url` })
    .length(Math.ceil((bytes * 4) / 3), { message: `${what} must be ${bytes} bytes` });

/** A browser's PushSubscription as `toJSON()` gives it. */
export const pushSubscribeInput = z
  .object({
    endpoint: z.string().min(1).max(2048),
    keys: z
      .object({ p256dh: base64url(65, "keys.p256dh"), auth: base64url(16, "keys.auth") })
      .strict(),
    /** `expirationTime` comes with the browser's object; Parley does not use it. */
    expirationTime: z.number().nullable().optional(),
  })
  .strict();
export type PushSubscribeInput = z.infer<typeof pushSubscribeInput>;

export const pushEndpointInput = z.object({ endpoint: z.string().min(1).max(2048) }).strict();
export const pushDeviceIdInput = z.object({ id: z.uuid() }).strict();

/** Whether this server can send pushes, and the key browsers subscribe with. */
export const pushConfigSchema = z.object({ publicKey: z.string().nullable() });

export const pushDeviceSchema = z.object({
  id: z.uuid(),
  /** The browser as it named itself when subscribing. */
  userAgent: z.string().nullable(),
  endpoint: z.string(),
  createdAt: z.date(),
  lastSuccessAt: z.date().nullable(),
});
export type PushDevice = z.infer<typeof pushDeviceSchema>;
export const pushDevicesSchema = z.array(pushDeviceSchema);
export const pushResultSchema = z.object({ ok: z.literal(true) });
