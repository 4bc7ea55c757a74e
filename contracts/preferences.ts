import { z } from "zod";
import type { MetaDataType } from "@/contracts/enums";
import { THEMES } from "@/lib/theme";

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

export const preferencesSchema = z.object({
  theme: themeSchema,
  language: languageSchema,
  timeFormat: timeFormatSchema,
  desktopNotifications: z.boolean(),
  notificationLevel: notificationLevelSchema,
  emailNotifications: z.boolean(),
  readReceipts: z.boolean(),
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
};

const NAME_BY_KEY = new Map(
  (Object.entries(PREFERENCE_KEYS) as [PreferenceName, PreferenceKey][]).map(([name, k]) => [
    k.key,
    name,
  ]),
);

export const RESERVED_META_KEYS: ReadonlySet<string> = new Set(NAME_BY_KEY.keys());

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
