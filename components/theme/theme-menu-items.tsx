"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { useTheme } from "next-themes";
import {
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
} from "@/components/ui/dropdown-menu";
import { useHydrated } from "@/lib/hooks/use-hydrated";
import { isTheme, THEMES, type Theme } from "@/lib/theme";

const LABELS: Record<Theme, string> = { light: "Light", dark: "Dark", system: "System" };
const ICONS = { light: Sun, dark: Moon, system: Monitor } as const;

/** The theme choice inside a dropdown menu; `onChange` lets the caller also save it. */
export function ThemeMenuItems({ onChange }: { onChange?: (theme: Theme) => void }) {
  const { theme, setTheme } = useTheme();
  const hydrated = useHydrated();
  return (
    <>
      <DropdownMenuLabel>Theme</DropdownMenuLabel>
      <DropdownMenuRadioGroup
        value={hydrated ? (theme ?? "system") : ""}
        onValueChange={(value) => {
          if (!isTheme(value)) return;
          setTheme(value);
          onChange?.(value);
        }}
      >
        {THEMES.map((value) => {
          const Icon = ICONS[value];
          return (
            <DropdownMenuRadioItem key={value} value={value}>
              <Icon aria-hidden="true" />
              {LABELS[value]}
            </DropdownMenuRadioItem>
          );
        })}
      </DropdownMenuRadioGroup>
    </>
  );
}
