import { z } from "zod";
import { validTimeZone } from "@/lib/time-zone";

/** An IANA time zone the runtime knows ("Europe/Berlin"); the database checks it again. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => validTimeZone(zone) !== null, { message: "Not a time zone" });

/** A person's choices about showing where and when they are. */
export const presenceSettingsSchema = z.object({
  /** Kept current by the browser while local time is shared; null otherwise. */
  timeZone: z.string().nullable(),
  /** Others see the person's local time on their profile card. */
  shareLocalTime: z.boolean(),
  /** Others see when the person was last online; two-way: turning it off hides everyone's. */
  showLastSeen: z.boolean(),
});
export type PresenceSettings = z.infer<typeof presenceSettingsSchema>;

export const DEFAULT_PRESENCE_SETTINGS: PresenceSettings = {
  timeZone: null,
  shareLocalTime: true,
  showLastSeen: true,
};

export const updatePresenceSettingsInput = z
  .object({
    timeZone: timeZoneSchema.nullable().optional(),
    shareLocalTime: z.boolean().optional(),
    showLastSeen: z.boolean().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "Give at least one setting" });
export type UpdatePresenceSettingsInput = z.infer<typeof updatePresenceSettingsInput>;
