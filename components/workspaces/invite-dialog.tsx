"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { UserPlus } from "lucide-react";
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
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { toast } from "@/components/ui/toaster";
import { inviteInput, isWorkspaceRole, type InviteInput } from "@/contracts/workspaces";
import { useZodForm } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import { inviteToWorkspace } from "@/lib/workspaces/actions";
import { roleDescription, roleLabel } from "@/lib/workspaces/manage";

const DEFAULTS: InviteInput = { email: "", role: "member" };

/** "Invite people": an address and a role; the invitation goes out by email. */
export function InviteDialog({
  workspaceId,
  workspaceName,
}: {
  workspaceId: string;
  workspaceName: string;
}) {
  const [open, setOpen] = useState(false);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useZodForm(inviteInput, { defaultValues: DEFAULTS });
  const { errors, isSubmitting } = form.formState;
  const role = form.watch("role");
  // Templates first, then the workspace's own roles; only owners make owners (not here).
  const { data: roles } = useQuery({ ...trpc.workspaces.roles.queryOptions(), enabled: open });
  const choices = ["member", "guest", "admin"].concat(
    (roles ?? []).map((r) => r.role).filter((r) => !isWorkspaceRole(r)),
  );

  function onOpenChange(next: boolean) {
    if (isSubmitting) return;
    setOpen(next);
    if (!next) form.reset(DEFAULTS);
  }

  const submit = form.handleSubmit(async (values) => {
    try {
      await inviteToWorkspace(workspaceId, values);
      toast.success(`Invitation sent to ${values.email}`);
      await queryClient.invalidateQueries({ queryKey: trpc.workspaces.invitations.queryKey() });
      setOpen(false);
      form.reset(DEFAULTS);
    } catch (error) {
      form.setError("root.server", {
        message: error instanceof Error ? error.message : "The invitation was not sent",
      });
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <UserPlus aria-hidden="true" />
          Invite people
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form noValidate onSubmit={(event) => void submit(event)}>
          <DialogHeader>
            <DialogTitle>Invite to {workspaceName}</DialogTitle>
            <DialogDescription>
              They get an email with a link to join; someone without an account creates one on the
              way.
            </DialogDescription>
          </DialogHeader>
          <div className="space-y-4">
            <Field label="Email address" error={errors.email?.message}>
              {(control) => (
                <Input {...control} type="email" autoComplete="off" {...form.register("email")} />
              )}
            </Field>
            <Field label="Role" description={roleDescription(role)} error={errors.role?.message}>
              {(control) => (
                <NativeSelect {...control} {...form.register("role")}>
                  {choices.map((value) => (
                    <option key={value} value={value}>
                      {roleLabel(value)}
                    </option>
                  ))}
                </NativeSelect>
              )}
            </Field>
            <FormError message={errors.root?.server?.message} />
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Sending…" : "Send invitation"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
