"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useId, useState } from "react";
import { Controller } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
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
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { toast } from "@/components/ui/toaster";
import { applyServerError, useZodForm } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import { API_SCOPES, SCOPE_DESCRIPTIONS } from "@/contracts/api-keys";
import {
  createKeyFormSchema,
  EXPIRY_CHOICES,
  localDate,
  toCreateInput,
  type CreateKeyFormValues,
} from "./create-key-form";
import { useUncopiedSecretGuard } from "@/components/secrets/one-time-secret";
import { SecretReveal } from "./secret-reveal";

const DEFAULTS: CreateKeyFormValues = {
  name: "",
  scopes: [],
  expiry: "90",
  expiresAt: "",
};

/** "Create key": the form, then the new secret, shown once. */
export function CreateKeyDialog() {
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const guard = useUncopiedSecretGuard();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useZodForm(createKeyFormSchema, { defaultValues: DEFAULTS });
  const create = useMutation(trpc.apiKeys.create.mutationOptions());
  const { data: workspace } = useQuery({
    ...trpc.workspaces.current.queryOptions(),
    enabled: open,
  });
  const scopesId = useId();
  const expiry = form.watch("expiry");
  const { errors } = form.formState;

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      // Forget the secret the moment the dialog closes: it is never shown twice.
      setSecret(null);
      guard.reset();
      form.reset(DEFAULTS);
      create.reset();
    }
  }

  const submit = form.handleSubmit(async (values) => {
    try {
      const created = await create.mutateAsync(toCreateInput(values));
      setSecret(created.secret);
      toast.success(`Key “${created.apiKey.name}” created`);
      await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
    } catch (error) {
      applyServerError(form, error);
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden="true" />
          Create key
        </Button>
      </DialogTrigger>
      <DialogContent
        className="max-w-xl"
        {...(secret
          ? { onEscapeKeyDown: guard.onDismiss, onInteractOutside: guard.onDismiss }
          : {})}
      >
        {secret ? (
          <>
            <DialogHeader>
              <DialogTitle>Your new API key</DialogTitle>
              <DialogDescription>
                Send it as <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>.
              </DialogDescription>
            </DialogHeader>
            <SecretReveal secret={secret} guard={guard} onClose={() => onOpenChange(false)} />
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form noValidate onSubmit={(event) => void submit(event)}>
            <DialogHeader>
              <DialogTitle>Create an API key</DialogTitle>
              <DialogDescription>
                A key acts as you on the REST API, limited to the scopes you choose, in the
                workspace you are in{workspace ? ` (${workspace.name})` : ""}: switch workspace
                first to make a key for another.
              </DialogDescription>
            </DialogHeader>
            <div className="space-y-5">
              <Field
                label="Name"
                description="So you know what uses it"
                error={errors.name?.message}
              >
                {(control) => (
                  <Input
                    {...control}
                    autoComplete="off"
                    maxLength={100}
                    {...form.register("name")}
                  />
                )}
              </Field>
              <fieldset
                className="space-y-2"
                aria-describedby={errors.scopes ? `${scopesId}-error` : undefined}
              >
                <legend className="text-sm font-medium">Scopes</legend>
                <Controller
                  control={form.control}
                  name="scopes"
                  render={({ field }) => (
                    <ul className="space-y-2">
                      {API_SCOPES.map((scope) => {
                        const checkboxId = `${scopesId}-${scope}`;
                        const checked = field.value.includes(scope);
                        return (
                          <li key={scope} className="flex items-start gap-3">
                            <Checkbox
                              id={checkboxId}
                              className="mt-0.5"
                              checked={checked}
                              aria-describedby={`${checkboxId}-description`}
                              onCheckedChange={(next) =>
                                field.onChange(
                                  next === true
                                    ? [...field.value, scope]
                                    : field.value.filter((s) => s !== scope),
                                )
                              }
                            />
                            <div className="space-y-0.5">
                              <Label htmlFor={checkboxId} className="font-mono text-xs">
                                {scope}
                              </Label>
                              <p
                                id={`${checkboxId}-description`}
                                className="text-xs text-muted-foreground"
                              >
                                {SCOPE_DESCRIPTIONS[scope]}
                              </p>
                            </div>
                          </li>
                        );
                      })}
                    </ul>
                  )}
                />
                {errors.scopes ? (
                  <p id={`${scopesId}-error`} className="text-xs font-medium text-destructive-text">
                    {errors.scopes.message}
                  </p>
                ) : null}
              </fieldset>
              <div className="grid gap-4 sm:grid-cols-2">
                <Field label="Expires" error={errors.expiry?.message}>
                  {(control) => (
                    <NativeSelect {...control} {...form.register("expiry")}>
                      {EXPIRY_CHOICES.map((choice) => (
                        <option key={choice.value} value={choice.value}>
                          {choice.label}
                        </option>
                      ))}
                    </NativeSelect>
                  )}
                </Field>
                {expiry === "custom" ? (
                  <Field
                    label="Expiry date"
                    description="The key works through the end of this day"
                    error={errors.expiresAt?.message}
                  >
                    {(control) => (
                      <Input
                        {...control}
                        type="date"
                        min={localDate(1)}
                        {...form.register("expiresAt")}
                      />
                    )}
                  </Field>
                ) : null}
              </div>
              <FormError message={errors.root?.server?.message} />
            </div>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={form.formState.isSubmitting}>
                {form.formState.isSubmitting ? "Creating…" : "Create key"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
