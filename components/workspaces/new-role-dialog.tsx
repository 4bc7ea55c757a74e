"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
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
import { createRoleInput, type WorkspaceRoleView } from "@/contracts/workspaces";
import { useZodForm } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import { createRole } from "@/lib/workspaces/actions";
import { roleLabel } from "@/lib/workspaces/manage";

/** A role of the workspace's own, starting from what another role may do. */
export function NewRoleDialog({
  workspaceId,
  roles,
  mine,
}: {
  workspaceId: string;
  roles: readonly WorkspaceRoleView[];
  /** The permissions the one making it holds: a new role starts with no more. */
  mine: ReadonlySet<string>;
}) {
  const [open, setOpen] = useState(false);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const defaults = { name: "", from: "member" };
  const form = useZodForm(createRoleInput, { defaultValues: defaults });
  const { errors, isSubmitting } = form.formState;

  function onOpenChange(next: boolean) {
    if (isSubmitting) return;
    setOpen(next);
    if (!next) form.reset(defaults);
  }

  const submit = form.handleSubmit(async ({ name, from }) => {
    const start = roles.find((r) => r.role === from)?.permissions ?? ["chat.view"];
    try {
      await createRole(
        workspaceId,
        name,
        start.filter((p) => mine.has(p)),
      );
      toast.success(`Role “${roleLabel(name)}” created`);
      await queryClient.invalidateQueries({ queryKey: trpc.workspaces.roles.queryKey() });
      setOpen(false);
      form.reset(defaults);
    } catch (error) {
      form.setError("root.server", {
        message: error instanceof Error ? error.message : "The role was not created",
      });
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden="true" />
          New role
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form noValidate onSubmit={(event) => void submit(event)}>
          <DialogHeader>
            <DialogTitle>New role</DialogTitle>
            <DialogDescription>
              It starts with what another role may do; change it in the grid afterwards.
            </DialogDescription>
          </DialogHeader>
          <div className="space-y-4">
            <Field
              label="Role name"
              description="Lower-case letters, digits and hyphens, like reviewer or on-call"
              error={errors.name?.message}
            >
              {(control) => (
                <Input {...control} autoComplete="off" maxLength={32} {...form.register("name")} />
              )}
            </Field>
            <Field label="Start from" error={errors.from?.message}>
              {(control) => (
                <NativeSelect {...control} {...form.register("from")}>
                  {roles
                    .filter((r) => r.role !== "owner")
                    .map((r) => (
                      <option key={r.role} value={r.role}>
                        {roleLabel(r.role)}
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
              {isSubmitting ? "Creating…" : "Create role"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
