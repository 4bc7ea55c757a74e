"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Controller } from "react-hook-form";
import { authErrorMessage, rememberRetryAfter } from "@/components/auth/auth-errors";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { NewPasswordFields, PasswordField } from "@/components/auth/password-field";
import { FormError } from "@/components/ui/form-error";
import { Label } from "@/components/ui/label";
import { toast } from "@/components/ui/toaster";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import { useHydrated } from "@/lib/hooks/use-hydrated";
import { useTRPC } from "@/lib/trpc/react";
import {
  changePasswordInput,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type ChangePasswordInput,
} from "@/contracts/auth";

const EMPTY: ChangePasswordInput = {
  currentPassword: "",
  newPassword: "",
  confirmPassword: "",
  revokeOtherSessions: true,
};

export function ChangePasswordCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const form = useZodForm(changePasswordInput, { defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;

  async function onSubmit(values: ChangePasswordInput) {
    const retry = rememberRetryAfter();
    // Better Auth checks the current password and, when asked, ends every other session
    // and issues this browser a fresh one. The endpoint writes its own audit row.
    const { error } = await authClient.changePassword(
      {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
        revokeOtherSessions: values.revokeOtherSessions,
      },
      retry.fetchOptions,
    );
    if (error?.code === "INVALID_PASSWORD") {
      form.setError("currentPassword", { message: "Your current password is not right" });
      return;
    }
    if (error?.code === "PASSWORD_TOO_SHORT" || error?.code === "PASSWORD_TOO_LONG") {
      form.setError("newPassword", { message: error.message ?? "Choose another password" });
      return;
    }
    if (error) {
      form.setError("root.server", {
        message: authErrorMessage(error, retry.seconds, "The password could not be changed."),
      });
      return;
    }
    form.reset(EMPTY);
    toast.success(
      values.revokeOtherSessions
        ? "Password changed. Your other devices are signed out."
        : "Password changed.",
    );
    await queryClient.invalidateQueries({ queryKey: trpc.security.sessions.list.queryKey() });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Change password</CardTitle>
        <CardDescription>
          Use {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters. Forgot the current one?{" "}
          <Link href="/forgot-password" className="text-primary-text underline underline-offset-4">
            Reset it by email
          </Link>{" "}
          after signing out.
        </CardDescription>
      </CardHeader>
      <form
        method="post"
        onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
        className="max-w-md space-y-4"
        noValidate
      >
        <FormError message={errors.root?.server?.message} />
        <PasswordField
          label="Current password"
          error={errors.currentPassword?.message}
          purpose="current-password"
          registration={form.register("currentPassword")}
        />
        <NewPasswordFields
          errors={{
            newPassword: errors.newPassword?.message,
            confirmPassword: errors.confirmPassword?.message,
          }}
          register={(name) => form.register(name)}
        />
        <Controller
          control={form.control}
          name="revokeOtherSessions"
          render={({ field }) => (
            <div className="flex items-center gap-2">
              <Checkbox
                id="revoke-other-sessions"
                checked={field.value}
                onCheckedChange={(checked) => field.onChange(checked === true)}
                onBlur={field.onBlur}
              />
              <Label htmlFor="revoke-other-sessions" className="font-normal">
                Sign out other devices
              </Label>
            </div>
          )}
        />
        <Button type="submit" disabled={isSubmitting || !hydrated}>
          {isSubmitting ? "Changing…" : "Change password"}
        </Button>
      </form>
    </Card>
  );
}
