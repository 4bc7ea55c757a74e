"use client";

import { useRouter } from "next/navigation";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import { workspaceName, type WorkspaceSummary } from "@/contracts/workspaces";
import { setFlash } from "@/lib/flash";
import { useZodForm } from "@/lib/forms";
import { openAfterSessionChange } from "@/lib/session-change";
import { leaveWorkspace, renameWorkspace } from "@/lib/workspaces/actions";
import { managesPeople, roleLabel } from "@/lib/workspaces/manage";

const renameForm = z.object({ name: workspaceName });

/** The workspace's name (owners and admins change it) and the way out of it. */
export function WorkspaceGeneral({ workspace }: { workspace: WorkspaceSummary }) {
  const router = useRouter();
  const form = useZodForm(renameForm, { defaultValues: { name: workspace.name } });
  const { errors, isSubmitting, isDirty } = form.formState;
  const editable = managesPeople(workspace.role);

  const submit = form.handleSubmit(async ({ name }) => {
    try {
      await renameWorkspace(workspace.id, name);
      toast.success("Workspace renamed");
      form.reset({ name: name.trim() });
      router.refresh();
    } catch (error) {
      form.setError("root.server", {
        message: error instanceof Error ? error.message : "The workspace was not renamed",
      });
    }
  });

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <CardTitle>Name</CardTitle>
          <CardDescription>Your role here: {roleLabel(workspace.role)}.</CardDescription>
        </CardHeader>
        <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
          <Field label="Workspace name" error={errors.name?.message}>
            {(control) => (
              <Input
                {...control}
                autoComplete="off"
                maxLength={80}
                readOnly={!editable}
                {...form.register("name")}
              />
            )}
          </Field>
          <FormError message={errors.root?.server?.message} />
          {editable ? (
            <Button type="submit" disabled={isSubmitting || !isDirty}>
              {isSubmitting ? "Saving…" : "Save name"}
            </Button>
          ) : null}
        </form>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Leave this workspace</CardTitle>
          <CardDescription>
            Its chats disappear from your list; your messages stay. Someone has to invite you to
            come back. A workspace&apos;s only owner makes someone else owner first.
          </CardDescription>
        </CardHeader>
        <ConfirmDialog
          trigger={<Button variant="destructive">Leave workspace</Button>}
          title={`Leave ${workspace.name}?`}
          description="You lose its chats at once, in every tab and on every device."
          confirmLabel="Leave workspace"
          pendingLabel="Leaving…"
          onConfirm={async () => {
            await leaveWorkspace(workspace.id);
            setFlash(`You are no longer a member of ${workspace.name}.`);
            openAfterSessionChange("/chat");
          }}
        />
      </Card>
    </div>
  );
}
