"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Skeleton } from "@/components/ui/skeleton";
import { SwitchRow } from "@/components/ui/switch-row";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { browserTimeZone } from "@/lib/time-zone";
import { useTRPC } from "@/lib/trpc/react";
import type { UpdatePresenceSettingsInput } from "@/contracts/presence";

/** Whether others see my local time and when I was last seen. */
export function PresenceSwitches() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.presence.settings.queryOptions());
  const update = useMutation(
    trpc.presence.update.mutationOptions({
      onSuccess: (saved) => queryClient.setQueryData(trpc.presence.settings.queryKey(), saved),
    }),
  );
  const save = (change: UpdatePresenceSettingsInput, success: string) =>
    update.mutate(change, {
      onSuccess: () => toast.success(success),
      onError: (error) => toast.error(`Not saved: ${errorMessage(error)}`),
    });
  if (!settings.data) return <Skeleton className="mx-6 mb-4 h-12" />;
  const { shareLocalTime, showLastSeen, timeZone } = settings.data;
  return (
    <>
      <SwitchRow
        label="Show my local time"
        description={
          <>
            Your profile card shows the time where you are
            {timeZone ? <> ({timeZone}, from this browser)</> : null}, so people know whether it is
            a good moment to write.
          </>
        }
        checked={shareLocalTime}
        disabled={update.isPending}
        onCheckedChange={(on) =>
          save(
            on ? { shareLocalTime: true, timeZone: browserTimeZone() } : { shareLocalTime: false },
            on ? "Your local time is shown" : "Your local time is hidden",
          )
        }
      />
      <SwitchRow
        label="Show when I was last seen"
        description={
          <>
            When this is off, nobody sees when you were last online, and, in return, you do not see
            when others were. Whether you are online now still shows.
          </>
        }
        checked={showLastSeen}
        disabled={update.isPending}
        onCheckedChange={(on) =>
          save({ showLastSeen: on }, on ? "Last seen shown" : "Last seen hidden")
        }
      />
    </>
  );
}
