"use client";

import { useMutation } from "@tanstack/react-query";
import { Bell, BellOff } from "lucide-react";
import { useId, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { toast } from "@/components/ui/toaster";
import { useFormatters } from "@/lib/format";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { ChatDetail } from "@/contracts/chats";
import { useChatChanged } from "./info-panel-cache";

type Level = ChatDetail["notificationLevel"];

const LEVELS: { value: Level; label: string }[] = [
  { value: "all", label: "All messages" },
  { value: "mentions", label: "Mentions only" },
  { value: "none", label: "Nothing" },
];

const HOUR = 3_600_000;
/** "Until I unmute" is a mute that ends far beyond any real date. */
const FOREVER = new Date("9999-12-31T00:00:00.000Z");
const isForever = (until: Date) => until.getUTCFullYear() >= 9000;

const MUTE_CHOICES: { label: string; until: (now: number) => Date }[] = [
  { label: "For 1 hour", until: (now) => new Date(now + HOUR) },
  { label: "For 8 hours", until: (now) => new Date(now + 8 * HOUR) },
  { label: "For 1 week", until: (now) => new Date(now + 7 * 24 * HOUR) },
  { label: "Until I unmute", until: () => FOREVER },
];

/** The current minute: enough to notice that a mute has run out while the panel is open. */
function subscribeMinute(onChange: () => void) {
  const timer = setInterval(onChange, 15_000);
  return () => clearInterval(timer);
}
const currentMinute = () => Math.floor(Date.now() / 60_000) * 60_000;

/** How loudly this chat may notify me, and muting it for a while. */
export function InfoPanelNotifications({ chat }: { chat: ChatDetail }) {
  const trpc = useTRPC();
  const format = useFormatters();
  const changed = useChatChanged(chat.id);
  const selectId = useId();
  const now = useSyncExternalStore(subscribeMinute, currentMinute, () => 0);
  const mutedUntil = chat.mutedUntil ? new Date(chat.mutedUntil) : null;
  const muted = mutedUntil !== null && mutedUntil.getTime() > now;

  const save = useMutation(
    trpc.chats.setNotifications.mutationOptions({
      onSuccess: () => void changed(),
      onError: (error) => toast.error(`Not saved: ${errorMessage(error)}`),
    }),
  );

  // The server replaces both settings at once: always send the one that is not changing.
  const setLevel = (level: Level) =>
    save.mutate(
      { chatId: chat.id, level, mutedUntil: muted ? mutedUntil : null },
      { onSuccess: () => toast.success("Notification setting saved") },
    );
  const mute = (until: Date | null) =>
    save.mutate(
      { chatId: chat.id, level: chat.notificationLevel, mutedUntil: until },
      { onSuccess: () => toast.success(until ? "Chat muted" : "Chat unmuted") },
    );

  return (
    <section aria-labelledby={`${selectId}-heading`} className="space-y-3 p-4">
      <h3 id={`${selectId}-heading`} className="text-sm font-semibold">
        Notifications
      </h3>
      <div className="space-y-1.5">
        <Label htmlFor={selectId}>Notify me about</Label>
        <NativeSelect
          id={selectId}
          value={chat.notificationLevel}
          disabled={save.isPending}
          onChange={(event) => setLevel(event.target.value as Level)}
          className="w-full"
        >
          {LEVELS.map((level) => (
            <option key={level.value} value={level.value}>
              {level.label}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="flex items-center gap-2">
        <p className="flex-1 text-sm" data-testid="mute-state" data-muted={muted}>
          {muted && mutedUntil ? (
            <>
              <BellOff aria-hidden="true" className="mr-1 inline size-4 align-text-bottom" />
              {isForever(mutedUntil)
                ? "Muted until you unmute"
                : `Muted until ${format.dateTime(mutedUntil)}`}
            </>
          ) : (
            <span className="text-muted-foreground">Not muted</span>
          )}
        </p>
        {muted ? (
          <Button variant="outline" size="sm" disabled={save.isPending} onClick={() => mute(null)}>
            <Bell aria-hidden="true" />
            Unmute
          </Button>
        ) : (
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button variant="outline" size="sm" disabled={save.isPending}>
                <BellOff aria-hidden="true" />
                Mute
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              {MUTE_CHOICES.map((choice) => (
                <DropdownMenuItem
                  key={choice.label}
                  onSelect={() => mute(choice.until(Date.now()))}
                >
                  {choice.label}
                </DropdownMenuItem>
              ))}
            </DropdownMenuContent>
          </DropdownMenu>
        )}
      </div>
    </section>
  );
}
