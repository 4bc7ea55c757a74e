"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTheme } from "next-themes";
import { useEffect, useRef } from "react";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { Theme } from "@/lib/theme";

/** Saves a theme choice to the user's preferences, so it follows them to other devices. */
export function useSaveThemePreference(): (theme: Theme) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(
    trpc.preferences.update.mutationOptions({
      onSuccess: (preferences) =>
        queryClient.setQueryData(trpc.preferences.get.queryKey(), preferences),
      onError: (error) => toast.error(`Theme not saved: ${errorMessage(error)}`),
    }),
  );
  return (theme) => save.mutate({ theme });
}

/** Applies the theme stored in the user's preferences once, when the signed-in area loads. */
export function ThemeSync({ stored }: { stored: Theme | null }) {
  const { theme, setTheme } = useTheme();
  const applied = useRef(false);
  useEffect(() => {
    if (applied.current || !stored) return;
    applied.current = true;
    if (stored !== theme) setTheme(stored);
  }, [stored, theme, setTheme]);
  return null;
}
