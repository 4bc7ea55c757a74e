"use client";

import { useMutation } from "@tanstack/react-query";
import { SwitchRow } from "@/components/ui/switch-row";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { ChatDetail } from "@/contracts/chats";
import { useChatChanged } from "./info-panel-cache";

/** For a group's owner and admins: whether anyone signed in can find and join it. */
export function InfoPanelVisibility({ chat }: { chat: ChatDetail }) {
  const trpc = useTRPC();
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
    <SwitchRow
      label="Public room"
      description="The people of this workspace can find it under Rooms and join it. Its messages are read by members only."
      checked={chat.visibility === "public"}
      disabled={update.isPending}
      onCheckedChange={(checked) =>
        update.mutate({ chatId: chat.id, visibility: checked ? "public" : "private" })
      }
    />
  );
}
