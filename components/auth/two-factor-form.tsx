"use client";

import { useState } from "react";
import { Controller } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import { openAfterSessionChange } from "@/lib/session-change";
import { twoFactorSignInInput, type TwoFactorSignInInput } from "@/contracts/auth";
import { authErrorMessage, rememberRetryAfter } from "./auth-errors";
import { AuthForm } from "./auth-form";

type Method = TwoFactorSignInInput["method"];

/** Better Auth's code when the password step is older than its challenge (ten minutes). */
const EXPIRED_CHALLENGE = "INVALID_TWO_FACTOR_COOKIE";

/**
 * The code step of signing in: the six digits of an authenticator app, or one backup code,
 * and whether this browser may skip the step for a while.
 */
export function TwoFactorForm({ next, trustDays }: { next: string; trustDays: number }) {
  const [method, setMethod] = useState<Method>("totp");
  const [expired, setExpired] = useState(false);
  const form = useZodForm(twoFactorSignInInput, {
    defaultValues: { method: "totp", code: "", trustDevice: false },
  });
  const { errors } = form.formState;

  function switchTo(other: Method) {
    setMethod(other);
    form.reset({ method: other, code: "", trustDevice: form.getValues("trustDevice") });
  }

  async function onSubmit(values: { method: Method; code: string; trustDevice: boolean }) {
    const retry = rememberRetryAfter();
    const body = { code: values.code, trustDevice: values.trustDevice };
    const { error } =
      values.method === "totp"
        ? await authClient.twoFactor.verifyTotp(body, retry.fetchOptions)
        : await authClient.twoFactor.verifyBackupCode(body, retry.fetchOptions);
    if (error) {
      if (error.code === EXPIRED_CHALLENGE) setExpired(true);
      const message =
        error.code === "INVALID_CODE" || error.code === "INVALID_BACKUP_CODE"
          ? "That code is not right. Try again."
          : error.code === EXPIRED_CHALLENGE
            ? "This sign-in has expired. Sign in again."
            : authErrorMessage(error, retry.seconds, "Could not check the code. Try again.");
      form.setError("root.server", { message });
      return;
    }
    openAfterSessionChange(next);
  }

  const totp = method === "totp";
  return (
    <AuthForm
      form={form}
      onSubmit={onSubmit}
      title="Two-factor authentication"
      description={
        totp
          ? "Enter the 6-digit code from your authenticator app."
          : "Enter one of the backup codes you saved when you turned on two-factor. Each works once."
      }
      submit={{ label: "Verify", busy: "Verifying…" }}
      footer={{
        text: expired ? "Your password step has expired." : "Not you?",
        href: `/sign-in?next=${encodeURIComponent(next)}`,
        label: "Back to sign in",
      }}
    >
      <Field label={totp ? "Authentication code" : "Backup code"} error={errors.code?.message}>
        {(control) => (
          <Input
            {...control}
            key={method}
            autoFocus
            autoComplete="one-time-code"
            inputMode={totp ? "numeric" : "text"}
            spellCheck={false}
            {...form.register("code")}
          />
        )}
      </Field>
      <Controller
        control={form.control}
        name="trustDevice"
        render={({ field }) => (
          <div className="flex items-start gap-2">
            <Checkbox
              id="trust-device"
              checked={field.value}
              onCheckedChange={(checked) => field.onChange(checked === true)}
              onBlur={field.onBlur}
              className="mt-0.5"
            />
            <Label htmlFor="trust-device" className="font-normal">
              Trust this browser for {trustDays} days
            </Label>
          </div>
        )}
      />
      <p className="text-sm">
        <Button
          type="button"
          variant="link"
          className="h-auto p-0"
          onClick={() => switchTo(totp ? "backup" : "totp")}
        >
          {totp ? "Use a backup code instead" : "Use your authenticator app instead"}
        </Button>
      </p>
    </AuthForm>
  );
}
