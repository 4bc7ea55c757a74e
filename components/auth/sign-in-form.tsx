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
import { signInInput, type SignInInput } from "@/contracts/auth";
import { authErrorMessage, rememberRetryAfter } from "./auth-errors";

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const form = useZodForm(signInInput, { defaultValues: { email: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  async function onSubmit(values: SignInInput) {
    const retry = rememberRetryAfter();
    const { error } = await authClient.signIn.email(values, retry.fetchOptions);
    if (error) {
      form.setError("root.server", {
        message: authErrorMessage(error, retry.seconds, "Sign-in failed. Try again."),
      });
      return;
    }
    router.replace(next);
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
          <CardTitle as="h1">Sign in</CardTitle>
          <CardDescription>Welcome back to Parley.</CardDescription>
        </div>
        <FormError message={errors.root?.server?.message} />
        <Field label="Email" error={errors.email?.message}>
          {(control) => (
            <Input {...control} type="email" autoComplete="email" {...form.register("email")} />
          )}
        </Field>
        <div className="space-y-1.5">
          <PasswordField
            label="Password"
            error={errors.password?.message}
            purpose="current-password"
            registration={form.register("password")}
          />
          <p className="text-right text-sm">
            <Link href="/forgot-password" className="font-medium text-primary-text hover:underline">
              Forgot password?
            </Link>
          </p>
        </div>
        <Button type="submit" className="w-full" disabled={isSubmitting || !hydrated}>
          {isSubmitting ? "Signing in…" : "Sign in"}
        </Button>
        <p className="text-center text-sm text-muted-foreground">
          New to Parley?{" "}
          <Link href="/sign-up" className="font-medium text-primary-text hover:underline">
            Create an account
          </Link>
        </p>
      </form>
    </Card>
  );
}
