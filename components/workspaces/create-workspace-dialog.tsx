"use client";

import { z } from "zod";
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
import { workspaceName } from "@/contracts/workspaces";
import { useZodForm } from "@/lib/forms";
import { openAfterSessionChange } from "@/lib/session-change";
import { createWorkspace } from "@/lib/workspaces/actions";

const createWorkspaceForm = z.object({ name: workspaceName });

/** A new workspace, its creator its owner; the app opens in it. */
export function CreateWorkspaceDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const form = useZodForm(createWorkspaceForm, { defaultValues: { name: "" } });
  const { errors, isSubmitting } = form.formState;

  function setOpen(next: boolean) {
    if (isSubmitting) return;
    if (!next) form.reset({ name: "" });
    onOpenChange(next);
  }

  const submit = form.handleSubmit(async ({ name }) => {
    try {
      await createWorkspace(name);
      openAfterSessionChange("/workspace/members");
    } catch (error) {
      form.setError("root.server", {
        message: error instanceof Error ? error.message : "Could not create the workspace",
      });
    }
  });

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogContent>
        <form noValidate onSubmit={(event) => void submit(event)}>
          <DialogHeader>
            <DialogTitle>Create a workspace</DialogTitle>
            <DialogDescription>
              A space of its own for a team: its chats and people are seen only by its members. You
              can invite them next.
            </DialogDescription>
          </DialogHeader>
          <div className="space-y-4">
            <Field label="Workspace name" error={errors.name?.message}>
              {(control) => (
                <Input {...control} autoComplete="off" maxLength={80} {...form.register("name")} />
              )}
            </Field>
            <FormError message={errors.root?.server?.message} />
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Creating…" : "Create workspace"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
