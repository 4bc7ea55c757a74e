"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Smile } from "lucide-react";
import { useState } from "react";
import { useUserChannel } from "@/lib/realtime/hooks";
import { EmojiPickerPopover } from "@/components/chat/emoji-picker";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import { STATUS_TEXT_MAX, type UserStatus } from "@/contracts/statuses";
import { STATUS_DURATIONS, statusExpiry, type StatusDuration } from "./status-expiry";

/** "Set a status": an emoji, a few words and how long they last; or clearing the one set. */
export function StatusDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery({ ...trpc.status.get.queryOptions(), enabled: open });
  // Set or cleared in another tab: what this one shows follows.
  useUserChannel({
    "status.changed": () =>
      void queryClient.invalidateQueries({ queryKey: trpc.status.get.queryKey() }),
  });
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Set a status</DialogTitle>
          <DialogDescription>
            Shown with your name to the people who can see you, until it ends.
          </DialogDescription>
        </DialogHeader>
        {current.isSuccess ? (
          <StatusForm current={current.data} onDone={() => onOpenChange(false)} />
        ) : current.isError ? (
          <FormError message="Could not load your status. Close this and try again." />
        ) : (
          <p className="text-sm text-muted-foreground">Loading…</p>
        )}
      </DialogContent>
    </Dialog>
  );
}

function StatusForm({ current, onDone }: { current: UserStatus | null; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [emoji, setEmoji] = useState<string | null>(current?.emoji ?? null);
  const [text, setText] = useState(current?.text ?? "");
  const [duration, setDuration] = useState<StatusDuration>("never");
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.status.get.queryKey() });
  const save = useMutation(
    trpc.status.set.mutationOptions({
      onSuccess: async () => {
        await refresh();
        toast.success("Status set");
        onDone();
      },
      onError: (failure) => setError(errorMessage(failure)),
    }),
  );
  const clear = useMutation(
    trpc.status.clear.mutationOptions({
      onSuccess: async () => {
        await refresh();
        toast.success("Status cleared");
        onDone();
      },
      onError: (failure) => setError(errorMessage(failure)),
    }),
  );
  const empty = emoji === null && text.trim() === "";

  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (empty) {
          setError("Pick an emoji or write a few words");
          return;
        }
        save.mutate({ emoji, text: text.trim(), expiresAt: statusExpiry(duration) });
      }}
    >
      <FormError message={error} />
      <div className="flex items-end gap-2">
        <EmojiPickerPopover label="Pick an emoji" side="bottom" onEmojiSelect={setEmoji}>
          <Button
            type="button"
            variant="outline"
            size="icon"
            className="size-10 text-lg"
            aria-label={emoji ? `Emoji: ${emoji}. Pick another` : "Pick an emoji"}
          >
            {emoji ?? <Smile aria-hidden="true" />}
          </Button>
        </EmojiPickerPopover>
        <Field label="What are you up to?" className="flex-1">
          {(control) => (
            <Input
              {...control}
              value={text}
              maxLength={STATUS_TEXT_MAX}
              placeholder="In a meeting"
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label="Clear after">
        {(control) => (
          <NativeSelect
            {...control}
            value={duration}
            onChange={(event) => setDuration(event.target.value as StatusDuration)}
          >
            {STATUS_DURATIONS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </NativeSelect>
        )}
      </Field>
      <DialogFooter className="gap-2">
        {current ? (
          <Button
            type="button"
            variant="outline"
            disabled={clear.isPending}
            onClick={() => clear.mutate()}
          >
            Clear status
          </Button>
        ) : null}
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save status"}
        </Button>
      </DialogFooter>
    </form>
  );
}
