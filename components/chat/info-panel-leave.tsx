"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LogOut, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { ChatDetail } from "@/contracts/chats";
import { canInChat } from "@/contracts/permissions";

/**
 * Leaving a group, and deleting it for its owner. The owner cannot leave (someone must own
 * the group), so they are told how to hand it over instead.
 */
export function InfoPanelLeave({ chat }: { chat: ChatDetail }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const isOwner = chat.myRole === "owner";
  const canDelete = canInChat(chat, "chat.delete");
  const alone = chat.members.length <= 1;
  const groupName = chat.name ?? chat.title;

  const leave = useMutation(trpc.chats.leave.mutationOptions());
  const remove = useMutation(trpc.chats.delete.mutationOptions());

  /** The chat is gone for me: back to the list, which no longer has it. */
  async function gone(chatId: string) {
    router.replace("/chat");
    queryClient.removeQueries({ queryKey: trpc.chats.storageStats.queryKey({ chatId }) });
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.chats.list.infiniteQueryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.chats.unreadTotal.queryKey() }),
    ]);
  }

  /** ConfirmDialog shows the thrown error's message inside the dialog. */
  async function run(action: () => Promise<unknown>, done: string) {
    try {
      await action();
    } catch (error) {
      throw new Error(errorMessage(error), { cause: error });
    }
    toast.success(done);
    await gone(chat.id);
  }

  return (
    <section aria-label="Leave or delete" className="space-y-3 p-4">
      {isOwner ? (
        <p className="text-sm text-muted-foreground" data-testid="owner-leave-hint">
          {alone
            ? "You are the only member. To leave, delete the group."
            : "You own this group. To leave it, first make another member the owner (open their menu under Members and choose “Make owner”)."}
        </p>
      ) : (
        <ConfirmDialog
          trigger={
            <Button variant="outline" className="w-full">
              <LogOut aria-hidden="true" />
              Leave group
            </Button>
          }
          title={`Leave “${chat.title}”?`}
          description="You stop receiving its messages at once. To come back, an admin has to add you again."
          confirmLabel="Leave group"
          pendingLabel="Leaving…"
          onConfirm={() =>
            run(() => leave.mutateAsync({ chatId: chat.id }), `You left “${chat.title}”`)
          }
        />
      )}
      {canDelete ? (
        <ConfirmDialog
          trigger={
            <Button variant="destructive" className="w-full">
              <Trash2 aria-hidden="true" />
              Delete group
            </Button>
          }
          title={`Delete “${chat.title}”?`}
          description="The group, its messages and its files are deleted for every member. This cannot be undone."
          confirmText={groupName}
          confirmLabel="Delete group"
          pendingLabel="Deleting…"
          onConfirm={() =>
            run(() => remove.mutateAsync({ chatId: chat.id }), `“${chat.title}” was deleted`)
          }
        />
      ) : null}
    </section>
  );
}
