"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { PasswordField } from "@/components/auth/password-field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import { useHydrated } from "@/lib/hooks/use-hydrated";
import {
  NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  signUpInput,
  type SignUpInput,
} from "@/contracts/auth";
import { authErrorMessage, rememberRetryAfter } from "./auth-errors";

export function SignUpForm() {
  const router = useRouter();
  const hydrated = useHydrated();
  const form = useZodForm(signUpInput, { defaultValues: { name: "", email: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  async function onSubmit(values: SignUpInput) {
    const retry = rememberRetryAfter();
    const { error } = await authClient.signUp.email(values, retry.fetchOptions);
    if (error) {
      form.setError("root.server", {
        message: authErrorMessage(error, retry.seconds, "Sign-up failed. Try again."),
      });
      return;
    }
    router.replace("/dashboard");
    router.refresh();
  }

  return (
    <Card>
      <form
        method="post"
        onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
        className="space-y-4"
        noValidate
      >
        <div className="space-y-1">
          <CardTitle as="h1">Create your account</CardTitle>
          <CardDescription>Chat with your team in real time.</CardDescription>
        </div>
        <FormError message={errors.root?.server?.message} />
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
        <Button type="submit" className="w-full" disabled={isSubmitting || !hydrated}>
          {isSubmitting ? "Creating account…" : "Create account"}
        </Button>
        <p className="text-center text-sm text-muted-foreground">
          Already have an account?{" "}
          <Link href="/sign-in" className="font-medium text-primary-text hover:underline">
            Sign in
          </Link>
        </p>
      </form>
    </Card>
  );
}
