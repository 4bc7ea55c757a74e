"use client";

import { authErrorMessage, rememberRetryAfter } from "@/components/auth/auth-errors";
import { PasswordField } from "@/components/auth/password-field";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { useZodForm } from "@/lib/forms";
import { passwordConfirmInput } from "@/contracts/auth";
import type { AuthFailure } from "@/components/auth/auth-errors";

type Fetch = ReturnType<typeof rememberRetryAfter>["fetchOptions"];

/**
 * Asks for the password before an account change that needs it (turning two-factor on or off,
 * new backup codes), and runs the change with it. A wrong password is said at the field.
 */
export function PasswordStep<T>({
  submitLabel,
  busyLabel,
  run,
  onDone,
}: {
  submitLabel: string;
  busyLabel: string;
  run: (
    password: string,
    fetchOptions: Fetch,
  ) => Promise<{ data: T | null; error: AuthFailure | null }>;
  onDone: (data: T) => void;
}) {
  const form = useZodForm(passwordConfirmInput, { defaultValues: { password: "" } });
  const { errors, isSubmitting } = form.formState;

  async function onSubmit({ password }: { password: string }) {
    const retry = rememberRetryAfter();
    const { data, error } = await run(password, retry.fetchOptions);
    if (error?.code === "INVALID_PASSWORD") {
      form.setError("password", { message: "Your password is not right" });
      return;
    }
    if (error || data === null) {
      form.setError("root.server", {
        message: authErrorMessage(error ?? {}, retry.seconds, "That did not work. Try again."),
      });
      return;
    }
    onDone(data);
  }

  return (
    <form
      onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
      className="space-y-4"
      noValidate
    >
      <FormError message={errors.root?.server?.message} />
      <PasswordField
        label="Password"
        error={errors.password?.message}
        purpose="current-password"
        registration={form.register("password")}
      />
      <DialogFooter>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? busyLabel : submitLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}
