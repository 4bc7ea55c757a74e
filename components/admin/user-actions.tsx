"use client";

import {
  Ban,
  KeyRound,
  LogOut,
  MoreHorizontal,
  ShieldCheck,
  ShieldOff,
  Trash2,
  Undo2,
  UserCheck,
  UserRoundCog,
} from "lucide-react";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toaster";
import {
  DeletedMessagesChoiceField,
  erasedWhen,
} from "@/components/settings/data/delete-account-card";
import { authClient } from "@/lib/auth-client";
import { useFormatters } from "@/lib/format";
import type { DeletedMessagesChoice } from "@/contracts/account-deletion";
import type { AdminUser } from "@/contracts/admin";
import { BanUserDialog } from "./ban-user-dialog";
import { openAfterSessionChange } from "@/lib/session-change";
import { useTRPC } from "@/lib/trpc/react";

type Pending =
  "role" | "ban" | "unban" | "sessions" | "twoFactor" | "delete" | "cancelDeletion" | null;

/** Better Auth answers `{ error }` instead of throwing; ConfirmDialog shows what is thrown. */
async function orThrow(call: Promise<{ error: { message?: string } | null }>, fallback: string) {
  const { error } = await call;
  if (error) throw new Error(error.message ?? fallback);
}

/**
 * Everything an admin can do to one user, from one menu. Actions on oneself that Parley
 * refuses (role, ban, delete, impersonate) are not offered; the server refuses them too.
 * An erased account is only a "Deleted user" left for its messages: nothing is offered.
 */
export function UserActions({
  user,
  isSelf,
  deletionGraceDays,
  onChanged,
}: {
  user: AdminUser;
  isSelf: boolean;
  deletionGraceDays: number;
  onChanged: () => Promise<void>;
}) {
  const router = useRouter();
  const trpc = useTRPC();
  const format = useFormatters();
  const resetTwoFactor = useMutation(trpc.admin.users.resetTwoFactor.mutationOptions());
  const requestDeletion = useMutation(trpc.admin.users.requestDeletion.mutationOptions());
  const cancelDeletion = useMutation(trpc.admin.users.cancelDeletion.mutationOptions());
  const [pending, setPending] = useState<Pending>(null);
  const [messages, setMessages] = useState<DeletedMessagesChoice>("keep");
  const close = (open: boolean) => {
    if (!open) {
      setPending(null);
      setMessages("keep");
    }
  };
  const nextRole = user.role === "admin" ? "user" : "admin";

  async function impersonate() {
    const { error } = await authClient.admin.impersonateUser({ userId: user.id });
    if (error) {
      toast.error(error.message ?? "Could not impersonate this user.");
      return;
    }
    openAfterSessionChange("/dashboard");
  }

  if (user.deletedAt) return null;

  return (
    <>
      {/* Not modal: a dialog opened from the menu must get the focus and pointer back. */}
      <DropdownMenu modal={false}>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={`Actions for ${user.name}`}>
            <MoreHorizontal aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuLabel className="truncate">{user.email}</DropdownMenuLabel>
          <DropdownMenuSeparator />
          {isSelf ? null : (
            <DropdownMenuItem onSelect={() => setPending("role")}>
              {nextRole === "admin" ? (
                <ShieldCheck aria-hidden="true" />
              ) : (
                <ShieldOff aria-hidden="true" />
              )}
              {nextRole === "admin" ? "Make admin" : "Remove admin role"}
            </DropdownMenuItem>
          )}
          {!isSelf && user.role !== "admin" && !user.banned ? (
            <DropdownMenuItem onSelect={() => void impersonate()}>
              <UserRoundCog aria-hidden="true" />
              Impersonate
            </DropdownMenuItem>
          ) : null}
          <DropdownMenuItem onSelect={() => setPending("sessions")}>
            <LogOut aria-hidden="true" />
            Revoke all sessions
          </DropdownMenuItem>
          {!isSelf && user.twoFactorEnabled ? (
            <DropdownMenuItem onSelect={() => setPending("twoFactor")}>
              <KeyRound aria-hidden="true" />
              Reset two-factor…
            </DropdownMenuItem>
          ) : null}
          {isSelf ? null : user.banned ? (
            <DropdownMenuItem onSelect={() => setPending("unban")}>
              <UserCheck aria-hidden="true" />
              Unban
            </DropdownMenuItem>
          ) : (
            <DropdownMenuItem onSelect={() => setPending("ban")}>
              <Ban aria-hidden="true" />
              Ban…
            </DropdownMenuItem>
          )}
          {isSelf ? null : (
            <>
              <DropdownMenuSeparator />
              {user.deletionScheduledFor ? (
                <DropdownMenuItem onSelect={() => setPending("cancelDeletion")}>
                  <Undo2 aria-hidden="true" />
                  Cancel deletion
                </DropdownMenuItem>
              ) : (
                <DropdownMenuItem
                  className="text-destructive-text data-[highlighted]:text-destructive-text"
                  onSelect={() => setPending("delete")}
                >
                  <Trash2 aria-hidden="true" />
                  Delete user…
                </DropdownMenuItem>
              )}
            </>
          )}
        </DropdownMenuContent>
      </DropdownMenu>

      <ConfirmDialog
        open={pending === "role"}
        onOpenChange={close}
        destructive={nextRole === "user"}
        title={
          nextRole === "admin" ? `Make ${user.name} an admin?` : `Remove ${user.name}'s admin role?`
        }
        description={
          nextRole === "admin"
            ? "Admins see every user, API key and audit row, and can ban, impersonate and delete users."
            : "They lose access to the admin area at once."
        }
        confirmLabel={nextRole === "admin" ? "Make admin" : "Remove admin role"}
        onConfirm={async () => {
          await orThrow(
            authClient.admin.setRole({ userId: user.id, role: nextRole }),
            "The role could not be changed.",
          );
          toast.success(
            nextRole === "admin"
              ? `${user.name} is now an admin`
              : `${user.name} is no longer an admin`,
          );
          await onChanged();
        }}
      />

      <BanUserDialog
        user={user}
        open={pending === "ban"}
        onOpenChange={close}
        onBanned={async () => {
          toast.success(`${user.name} is banned and signed out`);
          await onChanged();
        }}
      />

      <ConfirmDialog
        open={pending === "unban"}
        onOpenChange={close}
        destructive={false}
        title={`Unban ${user.name}?`}
        description={
          user.banReason
            ? `Banned for: ${user.banReason}. They can sign in again at once.`
            : "They can sign in again at once."
        }
        confirmLabel="Unban"
        onConfirm={async () => {
          await orThrow(
            authClient.admin.unbanUser({ userId: user.id }),
            "The ban could not be lifted.",
          );
          toast.success(`${user.name} can sign in again`);
          await onChanged();
        }}
      />

      <ConfirmDialog
        open={pending === "sessions"}
        onOpenChange={close}
        title={isSelf ? "Sign out everywhere?" : `Sign ${user.name} out everywhere?`}
        description={
          isSelf
            ? "Every session of yours ends, this one included."
            : "Every session of theirs ends; they can sign in again."
        }
        confirmLabel="Revoke all sessions"
        onConfirm={async () => {
          await orThrow(
            authClient.admin.revokeUserSessions({ userId: user.id }),
            "The sessions could not be revoked.",
          );
          if (isSelf) {
            router.push("/sign-in");
            return;
          }
          toast.success(`${user.name} is signed out everywhere`);
          await onChanged();
        }}
      />

      <ConfirmDialog
        open={pending === "twoFactor"}
        onOpenChange={close}
        title={`Reset ${user.name}'s two-factor authentication?`}
        description="For someone who lost their authenticator and their backup codes: signing in asks only for their password until they turn two-factor on again. Check it is really them first."
        confirmLabel="Reset two-factor"
        pendingLabel="Resetting…"
        onConfirm={async () => {
          await resetTwoFactor.mutateAsync({ userId: user.id });
          toast.success(`${user.name} can sign in with their password alone`);
          await onChanged();
        }}
      />

      <ConfirmDialog
        open={pending === "delete"}
        onOpenChange={close}
        title={`Delete ${user.name}?`}
        description={
          <>
            <p>
              They are signed out everywhere now, and their account is erased{" "}
              {erasedWhen(deletionGraceDays)} unless they sign in or an admin cancels it. Their
              profile, settings, sign-in methods, API keys and files go; their name shows as
              &ldquo;Deleted user&rdquo;. We email them about it.
            </p>
            <div className="pt-2">
              <DeletedMessagesChoiceField whose="their" value={messages} onChange={setMessages} />
            </div>
          </>
        }
        confirmText={user.email}
        confirmLabel="Delete user"
        pendingLabel="Deleting…"
        onConfirm={async () => {
          const { eraseAfter } = await requestDeletion.mutateAsync({ userId: user.id, messages });
          toast.success(`${user.name} will be deleted on ${format.date(eraseAfter)}`);
          await onChanged();
        }}
      />

      <ConfirmDialog
        open={pending === "cancelDeletion"}
        onOpenChange={close}
        destructive={false}
        title={`Cancel the deletion of ${user.name}?`}
        description="Their account stays as it is. They were signed out when the deletion was asked for, and can sign in again."
        confirmLabel="Cancel deletion"
        pendingLabel="Cancelling…"
        onConfirm={async () => {
          const { wasPending } = await cancelDeletion.mutateAsync({ userId: user.id });
          toast.success(
            wasPending
              ? `${user.name} will not be deleted`
              : `${user.name} had no deletion pending`,
          );
          await onChanged();
        }}
      />
    </>
  );
}
