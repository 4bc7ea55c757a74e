"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Field } from "@/components/ui/field";
import { PasswordField } from "@/components/auth/password-field";
import { Input } from "@/components/ui/input";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import { signInInput, type SignInInput } from "@/contracts/auth";
import { authErrorMessage, rememberRetryAfter } from "./auth-errors";
import { AuthForm } from "./auth-form";
import { PasskeySignInButton } from "./passkey-sign-in-button";
import { openAfterSessionChange } from "@/lib/session-change";

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const form = useZodForm(signInInput, { defaultValues: { email: "", password: "" } });
  const { errors } = form.formState;

  async function onSubmit(values: SignInInput) {
    const retry = rememberRetryAfter();
    const { data, error } = await authClient.signIn.email(values, retry.fetchOptions);
    if (error) {
      form.setError("root.server", {
        message: authErrorMessage(error, retry.seconds, "Sign-in failed. Try again."),
      });
      return;
    }
    // The password was right and the account asks for a second factor: no session yet.
    if (data && "twoFactorRedirect" in data && data.twoFactorRedirect) {
      router.push(`/sign-in/two-factor?next=${encodeURIComponent(next)}`);
      return;
    }
    openAfterSessionChange(next);
  }

  return (
    <AuthForm
      form={form}
      onSubmit={onSubmit}
      title="Sign in"
      description="Welcome back to Parley."
      submit={{ label: "Sign in", busy: "Signing in…" }}
      footer={{ text: "New to Parley?", href: "/sign-up", label: "Create an account" }}
    >
      <PasskeySignInButton
        next={next}
        onError={(message) =>
          message ? form.setError("root.server", { message }) : form.clearErrors("root.server")
        }
      />
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
    </AuthForm>
  );
}
