"use client";

import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import { banSecondsUntil, banUserForm, type AdminUser, type BanUserForm } from "@/contracts/admin";

/** Ban with a reason the user reads at sign-in, and an optional last day. */
export function BanUserDialog({
  user,
  open,
  onOpenChange,
  onBanned,
}: {
  user: AdminUser;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onBanned: () => Promise<void> | void;
}) {
  const form = useZodForm(banUserForm, { defaultValues: { reason: "", until: "" } });
  const { errors, isSubmitting } = form.formState;
  const today = new Date().toISOString().slice(0, 10);

  async function submit(values: BanUserForm) {
    const { error } = await authClient.admin.banUser({
      userId: user.id,
      banReason: values.reason,
      banExpiresIn: banSecondsUntil(values.until),
    });
    if (error) {
      form.setError("root.server", {
        type: "server",
        message: error.message ?? "The user could not be banned. Try again.",
      });
      return;
    }
    form.reset();
    onOpenChange(false);
    await onBanned();
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) form.reset();
        onOpenChange(next);
      }}
    >
      <DialogContent className="max-w-md">
        <DialogHeader>
          <DialogTitle>Ban {user.name}</DialogTitle>
          <DialogDescription>
            {user.email} is signed out everywhere at once and cannot sign in while the ban lasts.
          </DialogDescription>
        </DialogHeader>
        <form className="space-y-4" noValidate onSubmit={form.handleSubmit(submit)}>
          <Field
            label="Reason"
            description="Shown to the user when they try to sign in."
            error={errors.reason?.message}
          >
            {(control) => <Textarea rows={3} {...control} {...form.register("reason")} />}
          </Field>
          <Field
            label="Banned until (optional)"
            description="The last day of the ban (UTC). Leave empty for a ban without end."
            error={errors.until?.message}
          >
            {(control) => (
              <Input type="date" min={today} {...control} {...form.register("until")} />
            )}
          </Field>
          <FormError message={errors.root?.server?.message} />
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" variant="destructive" disabled={isSubmitting}>
              {isSubmitting ? "Banning…" : "Ban user"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
