"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { Preferences, UpdatePreferencesInput } from "@/contracts/preferences";

/**
 * The caller's preferences and a save that shows the change at once, confirms with a toast
 * and rolls back on failure. Language and clock feed the layout's formatters, so those
 * refresh the server-rendered part too.
 */
export function usePreferences(): {
  preferences: Preferences;
  save: (changes: UpdatePreferencesInput, success: string) => Promise<boolean>;
  saving: boolean;
} {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const queryKey = trpc.preferences.get.queryKey();
  const { data: preferences } = useSuspenseQuery(trpc.preferences.get.queryOptions());
  const update = useMutation(trpc.preferences.update.mutationOptions());

  const save = async (changes: UpdatePreferencesInput, success: string) => {
    const previous = queryClient.getQueryData(queryKey);
    queryClient.setQueryData(queryKey, { ...preferences, ...changes });
    try {
      const saved = await update.mutateAsync(changes);
      queryClient.setQueryData(queryKey, saved);
      toast.success(success);
      if ("language" in changes || "timeFormat" in changes) router.refresh();
      return true;
    } catch (error) {
      queryClient.setQueryData(queryKey, previous);
      toast.error(`Not saved: ${errorMessage(error)}`);
      return false;
    }
  };
  return { preferences, save, saving: update.isPending };
}
