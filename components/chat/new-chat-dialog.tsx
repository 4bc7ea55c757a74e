"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useRouter } from "next/navigation";
import { Tabs } from "radix-ui";
import { useState, type ReactNode } from "react";
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
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { SwitchRow } from "@/components/ui/switch-row";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import { groupNameSchema } from "@/contracts/chats";
import type { UserCard } from "@/contracts/users";
import { RoomDirectory } from "./room-directory";
import { UserPicker } from "./user-picker";

const tabClassName =
  "flex-1 rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground focus-visible:outline-2 focus-visible:outline-ring data-[state=active]:bg-card data-[state=active]:text-foreground data-[state=active]:shadow-sm";

/** Start a direct chat with one person, or a group with a name and members. */
export function NewChatDialog({ myId, trigger }: { myId: string; trigger: ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | undefined>();
  const [members, setMembers] = useState<UserCard[]>([]);
  const [isPublic, setIsPublic] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // What the workspace lets this person's role do: no group or room tab it would refuse.
  const { data: workspace } = useQuery(trpc.workspaces.current.queryOptions());
  const mayCreateGroup = workspace?.permissions.includes("chat.create_group") ?? false;
  const mayJoinRooms = workspace?.permissions.includes("chat.join_rooms") ?? false;

  const opened = async (chatId: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.chats.list.infiniteQueryKey() });
    setOpen(false);
    router.push(`/chat/${chatId}`);
  };
  const createDirect = useMutation(
    trpc.chats.createDirect.mutationOptions({
      onSuccess: (chat) => void opened(chat.id),
      onError: (failure) => setError(errorMessage(failure)),
    }),
  );
  const createGroup = useMutation(
    trpc.chats.createGroup.mutationOptions({
      onSuccess: (chat) => {
        toast.success(`Group “${chat.title}” created`);
        void opened(chat.id);
      },
      onError: (failure) => setError(errorMessage(failure)),
    }),
  );

  const reset = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setName("");
      setNameError(undefined);
      setMembers([]);
      setIsPublic(false);
      setError(null);
    }
  };

  const toggleMember = (person: UserCard) =>
    setMembers((list) =>
      list.some((m) => m.id === person.id)
        ? list.filter((m) => m.id !== person.id)
        : [...list, person],
    );

  function submitGroup() {
    const parsed = groupNameSchema.safeParse(name);
    if (!parsed.success) {
      setNameError(parsed.error.issues[0]?.message);
      return;
    }
    setNameError(undefined);
    createGroup.mutate({
      name: parsed.data,
      visibility: isPublic ? "public" : "private",
      memberIds: members.map((m) => m.id),
    });
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New chat</DialogTitle>
          <DialogDescription>
            Talk to one person, bring several together, or join a public room.
          </DialogDescription>
        </DialogHeader>
        <Tabs.Root defaultValue="direct" onValueChange={() => setError(null)}>
          <Tabs.List aria-label="Kind of chat" className="mb-4 flex gap-1 rounded-lg bg-muted p-1">
            <Tabs.Trigger value="direct" className={tabClassName}>
              Direct
            </Tabs.Trigger>
            {mayCreateGroup ? (
              <Tabs.Trigger value="group" className={tabClassName}>
                Group
              </Tabs.Trigger>
            ) : null}
            {mayJoinRooms ? (
              <Tabs.Trigger value="rooms" className={tabClassName}>
                Rooms
              </Tabs.Trigger>
            ) : null}
          </Tabs.List>
          <FormError message={error} />
          <Tabs.Content value="direct" className="mt-2 focus-visible:outline-none">
            <UserPicker
              myId={myId}
              selected={new Set()}
              label="Who do you want to talk to?"
              onPick={(person) => {
                if (!createDirect.isPending) createDirect.mutate({ userId: person.id });
              }}
            />
          </Tabs.Content>
          {mayCreateGroup ? (
            <Tabs.Content value="group" className="mt-2 space-y-4 focus-visible:outline-none">
              <Field label="Group name" error={nameError}>
                {(control) => (
                  <Input
                    {...control}
                    value={name}
                    maxLength={100}
                    onChange={(event) => setName(event.target.value)}
                  />
                )}
              </Field>
              {members.length > 0 ? (
                <ul aria-label="Members to add" className="flex flex-wrap gap-2">
                  {members.map((m) => (
                    <li
                      key={m.id}
                      className="inline-flex items-center gap-1 rounded-full bg-muted py-1 pr-1 pl-3 text-sm"
                    >
                      {m.name}
                      <button
                        type="button"
                        onClick={() => toggleMember(m)}
                        aria-label={`Remove ${m.name}`}
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
                selected={new Set(members.map((m) => m.id))}
                label="Add members"
                onPick={toggleMember}
              />
              <SwitchRow
                label="Public room"
                description="The people of this workspace can find it under Rooms and join it."
                checked={isPublic}
                onCheckedChange={setIsPublic}
              />
              <DialogFooter>
                <Button onClick={submitGroup} disabled={createGroup.isPending}>
                  {createGroup.isPending ? "Creating…" : "Create group"}
                </Button>
              </DialogFooter>
            </Tabs.Content>
          ) : null}
          {mayJoinRooms ? (
            <Tabs.Content value="rooms" className="mt-2 focus-visible:outline-none">
              <RoomDirectory
                onOpen={(chatId) => {
                  setOpen(false);
                  router.push(`/chat/${chatId}`);
                }}
              />
            </Tabs.Content>
          ) : null}
        </Tabs.Root>
      </DialogContent>
    </Dialog>
  );
}
