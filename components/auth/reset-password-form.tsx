"use client";

import { CircleCheck } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { NewPasswordFields } from "@/components/auth/password-field";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  resetPasswordInput,
  type ResetPasswordInput,
} from "@/contracts/auth";
import { authErrorMessage, rememberRetryAfter } from "./auth-errors";
import { AuthForm } from "./auth-form";
import { InvalidLink } from "./invalid-link";

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, setState] = useState<"form" | "done" | "invalid">("form");
  const form = useZodForm(resetPasswordInput, {
    defaultValues: { newPassword: "", confirmPassword: "" },
  });
  const { errors } = form.formState;

  async function onSubmit({ newPassword }: ResetPasswordInput) {
    const retry = rememberRetryAfter();
    const { error } = await authClient.resetPassword({ newPassword, token }, retry.fetchOptions);
    if (error?.code === "INVALID_TOKEN") {
      setState("invalid");
      return;
    }
    if (error) {
      form.setError("root.server", {
        message: authErrorMessage(error, retry.seconds, "The password could not be changed."),
      });
      return;
    }
    setState("done");
  }

  if (state === "invalid") return <ExpiredResetLink />;

  if (state === "done") {
    return (
      <Card className="space-y-4">
        <div className="space-y-2">
          <CircleCheck aria-hidden="true" className="size-8 text-success-text" />
          <CardTitle as="h1">Password changed</CardTitle>
          <CardDescription>
            Your new password is set, and every device that was signed in has been signed out. Sign
            in with your new password.
          </CardDescription>
        </div>
        <Link href="/sign-in" className={buttonVariants({ className: "w-full" })}>
          Sign in
        </Link>
      </Card>
    );
  }

  return (
    <AuthForm
      form={form}
      onSubmit={onSubmit}
      title="Choose a new password"
      description={`Use ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`}
      submit={{ label: "Set new password", busy: "Saving…" }}
    >
      <NewPasswordFields
        errors={{
          newPassword: errors.newPassword?.message,
          confirmPassword: errors.confirmPassword?.message,
        }}
        register={(name) => form.register(name)}
      />
    </AuthForm>
  );
}

export function ExpiredResetLink() {
  return (
    <InvalidLink
      title="This link is invalid or has expired"
      description="Password reset links work once and only for 30 minutes. Ask for a new one and use the latest mail."
      action={{ href: "/forgot-password", label: "Send a new link" }}
    />
  );
}
