import { z } from "zod";
import type { MetaDataType } from "@/contracts/enums";
import { THEMES } from "@/lib/theme";
import { TIME_OF_DAY } from "@/lib/notifications/quiet-hours";

/**
 * The user's preferences, each stored as one `user_metas` row under a reserved key. The UI
 * text stays English: `language` only decides how dates and numbers are formatted.
 */
export const LANGUAGES = [
  { value: "en", label: "English (US)" },
  { value: "en-GB", label: "English (UK)" },
  { value: "de", label: "Deutsch" },
  { value: "fr", label: "Français" },
  { value: "es", label: "Español" },
  { value: "pt-BR", label: "Português (Brasil)" },
  { value: "ja", label: "日本語" },
] as const;
export const LANGUAGE_VALUES = LANGUAGES.map((l) => l.value) as [
  (typeof LANGUAGES)[number]["value"],
  ...(typeof LANGUAGES)[number]["value"][],
];

export const TIME_FORMATS = ["12h", "24h"] as const;
export const NOTIFICATION_LEVELS = ["all", "mentions", "none"] as const;

export const themeSchema = z.enum(THEMES, { message: "Theme must be light, dark or system" });
export const languageSchema = z.enum(LANGUAGE_VALUES, { message: "Unsupported language" });
export const timeFormatSchema = z.enum(TIME_FORMATS, { message: "Time format must be 12h or 24h" });
export const notificationLevelSchema = z.enum(NOTIFICATION_LEVELS, {
  message: "Level must be all, mentions or none",
});

/** "HH:MM", or empty for no quiet hours. */
const timeOfDaySchema = z
  .string()
  .refine((v) => v === "" || TIME_OF_DAY.test(v), { message: "A time is HH:MM, 00:00 to 23:59" });

function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const preferencesSchema = z.object({
  theme: themeSchema,
  language: languageSchema,
  timeFormat: timeFormatSchema,
  desktopNotifications: z.boolean(),
  notificationLevel: notificationLevelSchema,
  emailNotifications: z.boolean(),
  readReceipts: z.boolean(),
  /** Web push to the devices where it was turned on. */
  pushNotifications: z.boolean(),
  /** Pushes and digests show what messages say (off: only who wrote, and where). */
  messagePreviews: z.boolean(),
  /** Quiet hours: no pushes from start to end each day (both empty: none). */
  quietHoursStart: timeOfDaySchema,
  quietHoursEnd: timeOfDaySchema,
  quietHoursTimeZone: z
    .string()
    .min(1)
    .max(64)
    .refine(knownTimeZone, { message: "Unknown time zone" }),
});
export type Preferences = z.infer<typeof preferencesSchema>;
export type PreferenceName = keyof Preferences;

export const DEFAULT_PREFERENCES: Preferences = {
  theme: "system",
  language: "en",
  timeFormat: "24h",
  desktopNotifications: false,
  notificationLevel: "all",
  emailNotifications: true,
  readReceipts: true,
  pushNotifications: true,
  messagePreviews: true,
  quietHoursStart: "",
  quietHoursEnd: "",
  quietHoursTimeZone: "UTC",
};

interface PreferenceKey {
  key: string;
  dataType: Extract<MetaDataType, "text" | "boolean">;
}

/** Where each preference lives in `user_metas`; `theme` is the key the theme switch writes. */
export const PREFERENCE_KEYS: Record<PreferenceName, PreferenceKey> = {
  theme: { key: "theme", dataType: "text" },
  language: { key: "language", dataType: "text" },
  timeFormat: { key: "timeFormat", dataType: "text" },
  desktopNotifications: { key: "notifications.desktop", dataType: "boolean" },
  notificationLevel: { key: "notifications.level", dataType: "text" },
  emailNotifications: { key: "notifications.email", dataType: "boolean" },
  readReceipts: { key: "privacy.readReceipts", dataType: "boolean" },
  pushNotifications: { key: "notifications.push", dataType: "boolean" },
  messagePreviews: { key: "notifications.previews", dataType: "boolean" },
  quietHoursStart: { key: "notifications.quietStart", dataType: "text" },
  quietHoursEnd: { key: "notifications.quietEnd", dataType: "text" },
  quietHoursTimeZone: { key: "notifications.quietTimeZone", dataType: "text" },
};

const NAME_BY_KEY = new Map(
  (Object.entries(PREFERENCE_KEYS) as [PreferenceName, PreferenceKey][]).map(([name, k]) => [
    k.key,
    name,
  ]),
);

export const RESERVED_META_KEYS: ReadonlySet<string> = new Set(NAME_BY_KEY.keys());

/**
 * Preferences from stored metas (key and value): each that fits its schema, else its
 * default. A value written before a rule existed counts as not stored.
 */
export function preferencesFromMetas(rows: readonly { key: string; value: unknown }[]): {
  stored: Partial<Preferences>;
  preferences: Preferences;
} {
  const stored: Partial<Preferences> = {};
  for (const row of rows) {
    const name = preferenceForKey(row.key);
    if (!name) continue;
    const parsed = preferencesSchema.shape[name].safeParse(row.value);
    if (parsed.success) Object.assign(stored, { [name]: parsed.data });
  }
  return { stored, preferences: { ...DEFAULT_PREFERENCES, ...stored } };
}

/** The preference a meta key is reserved for, if any. */
export function preferenceForKey(key: string): PreferenceName | undefined {
  return NAME_BY_KEY.get(key);
}

/**
 * Why a value may not be stored under a reserved key (the message a client sees), or null
 * when it may. Unreserved keys are always fine here.
 */
export function reservedKeyProblem(key: string, value: unknown): string | null {
  const name = preferenceForKey(key);
  if (!name) return null;
  const result = preferencesSchema.shape[name].safeParse(value);
  return result.success ? null : `"${key}" is a preference: ${result.error.issues[0]?.message}`;
}

export const updatePreferencesInput = preferencesSchema
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "Give at least one preference" });
export type UpdatePreferencesInput = z.infer<typeof updatePreferencesInput>;
