"use client";

import { useTheme } from "next-themes";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/select";
import { createFormatters } from "@/lib/format";
import { isTheme, THEMES, type Theme } from "@/lib/theme";
import { LANGUAGES, languageSchema, timeFormatSchema, TIME_FORMATS } from "@/contracts/preferences";
import { usePreferences } from "./use-preferences";

const THEME_LABELS: Record<Theme, string> = {
  light: "Light",
  dark: "Dark",
  system: "Same as the device",
};

// A fixed afternoon shows the format, not a moment: written and read in UTC, it is 15:30 in
// the server's render and in every browser.
const SAMPLE = new Date(Date.UTC(2026, 2, 14, 15, 30));

export function AppearanceCard() {
  const { preferences, save, saving } = usePreferences();
  const { setTheme } = useTheme();
  const preview = createFormatters({
    locale: preferences.language,
    timeFormat: preferences.timeFormat,
    timeZone: "UTC",
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Appearance and formats</CardTitle>
        <CardDescription>
          Saved to your account, so they follow you to every device.
        </CardDescription>
      </CardHeader>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Theme">
          {(control) => (
            <NativeSelect
              {...control}
              value={preferences.theme}
              disabled={saving}
              onChange={(event) => {
                const theme = event.target.value;
                if (!isTheme(theme)) return;
                setTheme(theme);
                void save({ theme }, `Theme set to ${THEME_LABELS[theme].toLowerCase()}`);
              }}
            >
              {THEMES.map((value) => (
                <option key={value} value={value}>
                  {THEME_LABELS[value]}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <Field
          label="Language for dates and numbers"
          description="Parley's own text stays in English."
        >
          {(control) => (
            <NativeSelect
              {...control}
              value={preferences.language}
              disabled={saving}
              onChange={(event) => {
                const parsed = languageSchema.safeParse(event.target.value);
                if (parsed.success) void save({ language: parsed.data }, "Language saved");
              }}
            >
              {LANGUAGES.map((language) => (
                <option key={language.value} value={language.value}>
                  {language.label}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
        <Field label="Time format">
          {(control) => (
            <NativeSelect
              {...control}
              value={preferences.timeFormat}
              disabled={saving}
              onChange={(event) => {
                const parsed = timeFormatSchema.safeParse(event.target.value);
                if (parsed.success) void save({ timeFormat: parsed.data }, "Time format saved");
              }}
            >
              {TIME_FORMATS.map((value) => (
                <option key={value} value={value}>
                  {value === "12h" ? "12-hour (3:30 PM)" : "24-hour (15:30)"}
                </option>
              ))}
            </NativeSelect>
          )}
        </Field>
      </div>
      <p className="mt-4 text-sm text-muted-foreground">
        Preview:{" "}
        <span data-testid="format-preview" className="font-medium text-foreground">
          {preview.dateTime(SAMPLE)}
        </span>{" "}
        · {preview.number(1234567.89)}
      </p>
    </Card>
  );
}
