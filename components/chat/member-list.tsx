"use client";

import { useMutation } from "@tanstack/react-query";
import { MoreHorizontal } from "lucide-react";
import { useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { presenceLabel, presenceOf, usePresence } from "@/lib/realtime/hooks";
import { useTRPC } from "@/lib/trpc/react";
import type { ChatDetail, ChatMember } from "@/contracts/chats";
import { canInChat } from "@/contracts/permissions";
import { ProfileCard } from "@/components/people/profile-card";
import { StatusLine } from "@/components/people/status-line";
import { AddMembersDialog } from "./add-members-dialog";
import { useChatChanged } from "./info-panel-cache";

const ROLE_ORDER: Record<ChatMember["role"], number> = { owner: 0, admin: 1, member: 2 };
const ROLE_LABEL: Record<ChatMember["role"], string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
};

type Pending = { kind: "remove" | "transfer"; member: ChatMember } | null;

/** Who is in the chat, their role and whether they are online; managers act on them. */
export function MemberList({ chat, myId }: { chat: ChatDetail; myId: string }) {
  const trpc = useTRPC();
  const online = usePresence();
  const changed = useChatChanged(chat.id);
  const [pending, setPending] = useState<Pending>(null);
  const isGroup = chat.type === "group";
  const canManage = canInChat(chat, "chat.manage_group");
  const isOwner = canInChat(chat, "chat.delete");

  const setRole = useMutation(trpc.chats.setRole.mutationOptions());
  const remove = useMutation(trpc.chats.removeMember.mutationOptions());
  const transfer = useMutation(trpc.chats.transferOwnership.mutationOptions());

  const members = [...chat.members].sort(
    (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name),
  );

  async function changeRole(member: ChatMember, role: "admin" | "member") {
    try {
      const detail = await setRole.mutateAsync({ chatId: chat.id, userId: member.userId, role });
      toast.success(
        role === "admin" ? `${member.name} is now an admin` : `${member.name} is now a member`,
      );
      await changed(detail);
    } catch (error) {
      toast.error(errorMessage(error));
    }
  }

  /** ConfirmDialog shows what the thrown error says: give it the user-facing words. */
  async function confirmPending() {
    if (!pending) return;
    const { member } = pending;
    try {
      const detail =
        pending.kind === "remove"
          ? await remove.mutateAsync({ chatId: chat.id, userId: member.userId })
          : await transfer.mutateAsync({ chatId: chat.id, userId: member.userId });
      toast.success(
        pending.kind === "remove"
          ? `${member.name} was removed from the group`
          : `${member.name} now owns the group`,
      );
      setPending(null);
      await changed(detail);
    } catch (error) {
      throw new Error(errorMessage(error), { cause: error });
    }
  }

  return (
    <section aria-labelledby={`members-${chat.id}`} className="space-y-2 p-4">
      <div className="flex items-center justify-between gap-2">
        <h3 id={`members-${chat.id}`} className="text-sm font-semibold">
          Members <span className="font-normal text-muted-foreground">({members.length})</span>
        </h3>
        {isGroup && canManage ? <AddMembersDialog chat={chat} myId={myId} /> : null}
      </div>
      <ul className="space-y-1" data-testid="member-list">
        {members.map((member) => {
          const me = member.userId === myId;
          const presence = presenceOf(online, member.userId);
          const isOnline = presence === "online";
          // The server's rules: nobody changes their own role, and the owner only by transfer.
          const actionable = isGroup && canManage && !me && member.role !== "owner";
          return (
            <li
              key={member.userId}
              data-testid="member"
              data-user-id={member.userId}
              className="flex items-center gap-2 rounded-md py-1"
            >
              <ProfileCard userId={member.userId} myId={myId} label={`${member.name}'s profile`}>
                <button
                  type="button"
                  className="flex min-w-0 flex-1 items-center gap-2 rounded-md text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
                >
                  <span className="relative shrink-0" aria-hidden="true">
                    <Avatar name={member.name} image={member.image} />
                    {isOnline ? (
                      <span className="absolute right-0 bottom-0 size-2.5 rounded-full border-2 border-card bg-success-text" />
                    ) : null}
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-sm">
                      {member.name}
                      {me ? <span className="text-muted-foreground"> (You)</span> : null}
                    </span>
                    <span className="flex min-h-4 gap-1 text-xs text-muted-foreground">
                      <span className="shrink-0">{presenceLabel(presence)}</span>
                      {member.status ? (
                        <>
                          <span aria-hidden="true">·</span>
                          <StatusLine status={member.status} className="min-w-0" />
                        </>
                      ) : null}
                    </span>
                  </span>
                </button>
              </ProfileCard>
              {isGroup ? (
                <Badge variant={member.role === "member" ? "muted" : "default"}>
                  {ROLE_LABEL[member.role]}
                </Badge>
              ) : null}
              {actionable ? (
                <DropdownMenu>
                  <DropdownMenuTrigger asChild>
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-8"
                      aria-label={`Manage ${member.name}`}
                    >
                      <MoreHorizontal aria-hidden="true" />
                    </Button>
                  </DropdownMenuTrigger>
                  <DropdownMenuContent align="end">
                    {member.role === "member" ? (
                      <DropdownMenuItem onSelect={() => void changeRole(member, "admin")}>
                        Make admin
                      </DropdownMenuItem>
                    ) : (
                      <DropdownMenuItem onSelect={() => void changeRole(member, "member")}>
                        Make member
                      </DropdownMenuItem>
                    )}
                    {isOwner ? (
                      <DropdownMenuItem onSelect={() => setPending({ kind: "transfer", member })}>
                        Make owner
                      </DropdownMenuItem>
                    ) : null}
                    <DropdownMenuItem
                      className="text-destructive-text"
                      onSelect={() => setPending({ kind: "remove", member })}
                    >
                      Remove from group
                    </DropdownMenuItem>
                  </DropdownMenuContent>
                </DropdownMenu>
              ) : null}
            </li>
          );
        })}
      </ul>
      <ConfirmDialog
        open={pending !== null}
        onOpenChange={(open) => !open && setPending(null)}
        title={
          pending?.kind === "transfer"
            ? `Make ${pending.member.name} the owner?`
            : `Remove ${pending?.member.name ?? "this member"}?`
        }
        description={
          pending?.kind === "transfer"
            ? "They can then delete the group and manage admins. You stay in the group as an admin."
            : "They stop seeing this group and its new messages at once. You can add them again later."
        }
        destructive={pending?.kind === "remove"}
        confirmLabel={pending?.kind === "transfer" ? "Make owner" : "Remove"}
        pendingLabel={pending?.kind === "transfer" ? "Transferring…" : "Removing…"}
        onConfirm={confirmPending}
      />
    </section>
  );
}
