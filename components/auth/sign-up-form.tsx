"use client";

import { Field } from "@/components/ui/field";
import { PasswordField } from "@/components/auth/password-field";
import { Input } from "@/components/ui/input";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import {
  NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  signUpInput,
  type SignUpInput,
} from "@/contracts/auth";
import { authErrorMessage, rememberRetryAfter } from "./auth-errors";
import { AuthForm } from "./auth-form";
import { openAfterSessionChange } from "@/lib/session-change";

export function SignUpForm({ next = "/dashboard", email = "" }: { next?: string; email?: string }) {
  const form = useZodForm(signUpInput, { defaultValues: { name: "", email, password: "" } });
  const { errors } = form.formState;

  async function onSubmit(values: SignUpInput) {
    const retry = rememberRetryAfter();
    const { error } = await authClient.signUp.email(values, retry.fetchOptions);
    if (error) {
      form.setError("root.server", {
        message: authErrorMessage(error, retry.seconds, "Sign-up failed. Try again."),
      });
      return;
    }
    openAfterSessionChange(next);
  }

  return (
    <AuthForm
      form={form}
      onSubmit={onSubmit}
      title="Create your account"
      description="Chat with your team in real time."
      submit={{ label: "Create account", busy: "Creating account…" }}
      footer={{
        text: "Already have an account?",
        href: next === "/dashboard" ? "/sign-in" : `/sign-in?${new URLSearchParams({ next })}`,
        label: "Sign in",
      }}
    >
      <Field label="Name" error={errors.name?.message}>
        {(control) => (
          <Input
            {...control}
            autoComplete="name"
            maxLength={NAME_MAX_LENGTH}
            {...form.register("name")}
          />
        )}
      </Field>
      <Field label="Email" error={errors.email?.message}>
        {(control) => (
          <Input {...control} type="email" autoComplete="email" {...form.register("email")} />
        )}
      </Field>
      <PasswordField
        label="Password"
        description={`${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`}
        error={errors.password?.message}
        purpose="new-password"
        registration={form.register("password")}
      />
    </AuthForm>
  );
}
