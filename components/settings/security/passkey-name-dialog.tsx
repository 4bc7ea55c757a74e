"use client";

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
import { PASSKEY_NAME_MAX_LENGTH, passkeyNameInput } from "@/contracts/passkeys";
import { useZodForm } from "@/lib/forms";

/**
 * Asks for a passkey's name, to add one or to rename one. `onSubmit` answers with the
 * words to show when it failed (the dialog stays open with them), or null when done.
 */
export function PasskeyNameDialog({
  open,
  onOpenChange,
  title,
  description,
  initialName = "",
  submit,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  initialName?: string;
  submit: { label: string; busy: string };
  onSubmit: (name: string) => Promise<string | null>;
}) {
  const form = useZodForm(passkeyNameInput, { defaultValues: { name: initialName } });
  const { errors, isSubmitting } = form.formState;

  function setOpen(next: boolean) {
    // The browser's passkey prompt may be open: the ceremony finishes or fails first.
    if (isSubmitting) return;
    if (!next) form.reset({ name: initialName });
    onOpenChange(next);
  }

  const save = form.handleSubmit(async ({ name }) => {
    const failure = await onSubmit(name);
    if (failure) {
      form.setError("root.server", { message: failure });
      return;
    }
    form.reset({ name: initialName });
    onOpenChange(false);
  });

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogContent>
        <form noValidate onSubmit={(event) => void save(event)}>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
          </DialogHeader>
          <div className="space-y-4">
            <Field
              label="Passkey name"
              description={`Up to ${PASSKEY_NAME_MAX_LENGTH} characters, e.g. "Work laptop" or "Phone".`}
              error={errors.name?.message}
            >
              {(control) => <Input {...control} autoComplete="off" {...form.register("name")} />}
            </Field>
            <FormError message={errors.root?.server?.message} />
          </div>
          <DialogFooter>
            <Button
              type="button"
              variant="outline"
              disabled={isSubmitting}
              onClick={() => setOpen(false)}
            >
              Cancel
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? submit.busy : submit.label}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
