"use client";

import { MailCheck } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import { forgotPasswordInput, type ForgotPasswordInput } from "@/contracts/auth";
import { rateLimitMessage, rememberRetryAfter } from "./auth-errors";
import { AuthForm } from "./auth-form";

export function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useZodForm(forgotPasswordInput, { defaultValues: { email: "" } });
  const { errors } = form.formState;

  async function onSubmit({ email }: ForgotPasswordInput) {
    const retry = rememberRetryAfter();
    const { error } = await authClient.requestPasswordReset(
      { email, redirectTo: "/reset-password" },
      retry.fetchOptions,
    );
    // Whether the address has an account is nobody's business here: every answer but
    // "slow down" gets the same confirmation.
    if (error?.status === 429) {
      form.setError("root.server", { message: rateLimitMessage(retry.seconds) });
      return;
    }
    setSentTo(email);
  }

  if (sentTo) {
    return (
      <Card className="space-y-4">
        <div className="space-y-2">
          <MailCheck aria-hidden="true" className="size-8 text-primary-text" />
          <CardTitle as="h1">Check your email</CardTitle>
          <CardDescription>
            If an account exists for <span className="font-medium text-foreground">{sentTo}</span>,
            we sent it a link to choose a new password. The link works for 30 minutes.
          </CardDescription>
        </div>
        <Button variant="outline" className="w-full" onClick={() => setSentTo(null)}>
          Use another address
        </Button>
        <p className="text-center text-sm">
          <Link href="/sign-in" className="font-medium text-primary-text hover:underline">
            Back to sign in
          </Link>
        </p>
      </Card>
    );
  }

  return (
    <AuthForm
      form={form}
      onSubmit={onSubmit}
      title="Forgot your password?"
      description="Enter the email address of your account and we will send you a link to choose a new password."
      submit={{ label: "Send reset link", busy: "Sending…" }}
      footer={{ text: "Remembered it?", href: "/sign-in", label: "Sign in" }}
    >
      <Field label="Email" error={errors.email?.message}>
        {(control) => (
          <Input {...control} type="email" autoComplete="email" {...form.register("email")} />
        )}
      </Field>
    </AuthForm>
  );
}
