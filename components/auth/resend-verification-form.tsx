"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import { useHydrated } from "@/lib/hooks/use-hydrated";
import { forgotPasswordInput, type ForgotPasswordInput } from "@/contracts/auth";
import { authErrorMessage, rememberRetryAfter } from "./auth-errors";

/** Asks for a fresh verification link; the answer does not tell whether the address exists. */
export function ResendVerificationForm({ email = "" }: { email?: string }) {
  const hydrated = useHydrated();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useZodForm(forgotPasswordInput, { defaultValues: { email } });
  const { errors, isSubmitting } = form.formState;

  async function onSubmit(values: ForgotPasswordInput) {
    const retry = rememberRetryAfter();
    const { error } = await authClient.sendVerificationEmail(
      { email: values.email },
      retry.fetchOptions,
    );
    if (error && error.code !== "EMAIL_ALREADY_VERIFIED") {
      form.setError("root.server", {
        message: authErrorMessage(error, retry.seconds, "The link could not be sent. Try again."),
      });
      return;
    }
    setSentTo(values.email);
  }

  if (sentTo) {
    return (
      <p role="status" className="rounded-md bg-success-soft px-3 py-2 text-sm text-success-text">
        If {sentTo} still needs confirming, a new link is on its way.
      </p>
    );
  }

  return (
    <form
      method="post"
      onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
      className="space-y-4"
      noValidate
    >
      <FormError message={errors.root?.server?.message} />
      <Field label="Email" error={errors.email?.message}>
        {(control) => (
          <Input {...control} type="email" autoComplete="email" {...form.register("email")} />
        )}
      </Field>
      <Button
        type="submit"
        variant="outline"
        className="w-full"
        disabled={isSubmitting || !hydrated}
      >
        {isSubmitting ? "Sending…" : "Send a new link"}
      </Button>
    </form>
  );
}
