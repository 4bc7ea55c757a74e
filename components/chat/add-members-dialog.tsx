"use client";

import { useMutation } from "@tanstack/react-query";
import { UserPlus, X } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { ChatDetail } from "@/contracts/chats";
import type { UserCard } from "@/contracts/users";
import { useChatChanged } from "./info-panel-cache";
import { UserPicker } from "./user-picker";

/** Pick people to bring into a group; those already in it show as picked. */
export function AddMembersDialog({ chat, myId }: { chat: ChatDetail; myId: string }) {
  const trpc = useTRPC();
  const changed = useChatChanged(chat.id);
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<UserCard[]>([]);
  const [error, setError] = useState<string | null>(null);
  const current = new Set(chat.members.map((m) => m.userId));
  const add = useMutation(
    trpc.chats.addMembers.mutationOptions({
      onSuccess: async (detail) => {
        toast.success(
          picked.length === 1 ? `${picked[0]?.name} was added` : `${picked.length} people added`,
        );
        reset(false);
        await changed(detail);
      },
      onError: (failure) => setError(errorMessage(failure)),
    }),
  );

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setPicked([]);
      setError(null);
    }
  }

  const toggle = (person: UserCard) => {
    if (current.has(person.id)) return;
    setPicked((list) =>
      list.some((p) => p.id === person.id)
        ? list.filter((p) => p.id !== person.id)
        : [...list, person],
    );
  };

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <UserPlus aria-hidden="true" />
          Add members
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Add members</DialogTitle>
          <DialogDescription>
            New members see the messages sent from now on in “{chat.title}”.
          </DialogDescription>
        </DialogHeader>
        <div className="space-y-4">
          <FormError message={error} />
          {picked.length > 0 ? (
            <ul aria-label="People to add" className="flex flex-wrap gap-2">
              {picked.map((p) => (
                <li
                  key={p.id}
                  className="inline-flex items-center gap-1 rounded-full bg-muted py-1 pr-1 pl-3 text-sm"
                >
                  {p.name}
                  <button
                    type="button"
                    onClick={() => toggle(p)}
                    aria-label={`Do not add ${p.name}`}
                    className="rounded-full p-0.5 hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
                  >
                    <X aria-hidden="true" className="size-3.5" />
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <UserPicker
            myId={myId}
            selected={new Set([...current, ...picked.map((p) => p.id)])}
            label="Find people to add"
            onPick={toggle}
          />
        </div>
        <DialogFooter>
          <Button
            disabled={picked.length === 0 || add.isPending}
            onClick={() => add.mutate({ chatId: chat.id, userIds: picked.map((p) => p.id) })}
          >
            {add.isPending
              ? "Adding…"
              : picked.length > 1
                ? `Add ${picked.length} people`
                : "Add to group"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
