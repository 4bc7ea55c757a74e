"use client";

import { useMutation } from "@tanstack/react-query";
import { useId } from "react";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { ChatDetail } from "@/contracts/chats";
import { useChatChanged } from "./info-panel-cache";

/** For a group's owner and admins: whether anyone signed in can find and join it. */
export function InfoPanelVisibility({ chat }: { chat: ChatDetail }) {
  const trpc = useTRPC();
  const id = useId();
  const changed = useChatChanged(chat.id);
  const update = useMutation(
    trpc.chats.update.mutationOptions({
      onSuccess: async (detail) => {
        toast.success(
          detail.visibility === "public"
            ? "Anyone can now find and join this group"
            : "Only people you add can join this group now",
        );
        await changed(detail);
      },
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  return (
    <div className="flex items-start gap-3">
      <Switch
        id={id}
        checked={chat.visibility === "public"}
        disabled={update.isPending}
        aria-describedby={`${id}-hint`}
        onCheckedChange={(checked) =>
          update.mutate({ chatId: chat.id, visibility: checked ? "public" : "private" })
        }
      />
      <div className="grid gap-0.5">
        <Label htmlFor={id}>Public room</Label>
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          Anyone signed in can find it under Rooms and join it. Its messages are read by members
          only.
        </p>
      </div>
    </div>
  );
}
