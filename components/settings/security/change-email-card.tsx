"use client";

import { useState } from "react";
import {
  authErrorMessage,
  rememberRetryAfter,
  type AuthFailure,
} from "@/components/auth/auth-errors";
import { PasswordField } from "@/components/auth/password-field";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import { useHydrated } from "@/lib/hooks/use-hydrated";
import { changeEmailInput, type ChangeEmailInput } from "@/contracts/auth";

const EMPTY: ChangeEmailInput = { newEmail: "", password: "" };

/**
 * Moving the account to another address. Nothing changes until the link mailed to the new
 * address is opened; the current address is told at once. An address that has an account
 * already gets the same answer, so the form reveals nothing about other people's accounts.
 */
export function ChangeEmailCard({ email }: { email: string }) {
  const hydrated = useHydrated();
  const form = useZodForm(changeEmailInput, { defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function onSubmit(values: ChangeEmailInput) {
    const retry = rememberRetryAfter();
    // Better Auth's `/change-email`; Parley's guard reads `password` from the same body.
    const { error } = await authClient.$fetch("/change-email", {
      method: "POST",
      body: { newEmail: values.newEmail, password: values.password },
      ...retry.fetchOptions,
    });
    // Untyped here, the failure still carries Better Auth's `code`.
    const failure: AuthFailure | null = error;
    if (failure?.code === "INVALID_PASSWORD") {
      form.setError("password", { message: "Your current password is not right" });
      return;
    }
    if (failure) {
      form.setError("root.server", {
        message: authErrorMessage(failure, retry.seconds, "The address could not be changed."),
      });
      return;
    }
    form.reset(EMPTY);
    setSentTo(values.newEmail);
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Change email address</CardTitle>
        <CardDescription>
          You sign in with <span className="font-medium text-foreground">{email}</span>. A new
          address is used only once you open the link we mail to it.
        </CardDescription>
      </CardHeader>
      {sentTo ? (
        <div className="space-y-3" role="status">
          <p className="font-medium">Check {sentTo} for a link</p>
          <p className="text-sm text-muted-foreground">
            Open it within 24 hours to start using that address. Until then you keep signing in with{" "}
            {email}, which we have told about the change.
          </p>
          <Button variant="outline" onClick={() => setSentTo(null)}>
            Use another address
          </Button>
        </div>
      ) : (
        <form
          aria-label="Change email address"
          method="post"
          onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
          className="max-w-md space-y-4"
          noValidate
        >
          <FormError message={errors.root?.server?.message} />
          <Field label="New email address" error={errors.newEmail?.message}>
            {(control) => (
              <Input
                {...control}
                type="email"
                autoComplete="email"
                {...form.register("newEmail")}
              />
            )}
          </Field>
          <PasswordField
            label="Your password"
            error={errors.password?.message}
            purpose="current-password"
            registration={form.register("password")}
          />
          <Button type="submit" disabled={isSubmitting || !hydrated}>
            {isSubmitting ? "Sending…" : "Send confirmation link"}
          </Button>
        </form>
      )}
    </Card>
  );
}
