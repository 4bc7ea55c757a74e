"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { authClient } from "@/lib/auth-client";
import { useHydrated } from "@/lib/hooks/use-hydrated";
import { formText } from "@/lib/utils";

const PASSWORD_MIN = 8;
const PASSWORD_MAX = 128;

export function SignUpForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = formText(form, "name").trim();
    const email = formText(form, "email").trim();
    const password = formText(form, "password");
    if (!name) return setError("Enter your name.");
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
      return setError(`Use a password of ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`);
    }
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signUp.email({ name, email, password });
    if (failure) {
      setPending(false);
      setError(failure.message ?? "Sign-up failed. Try again.");
      return;
    }
    router.replace("/dashboard");
    router.refresh();
  }

  return (
    <Card>
      <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
        <div className="space-y-1">
          <CardTitle as="h1">Create your account</CardTitle>
          <CardDescription>Chat with your team in real time.</CardDescription>
        </div>
        <FormError message={error} />
        <div className="space-y-2">
          <Label htmlFor="name">Name</Label>
          <Input id="name" name="name" autoComplete="name" maxLength={100} required />
        </div>
        <div className="space-y-2">
          <Label htmlFor="email">Email</Label>
          <Input id="email" name="email" type="email" autoComplete="email" required />
        </div>
        <div className="space-y-2">
          <Label htmlFor="password">Password</Label>
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={PASSWORD_MIN}
            maxLength={PASSWORD_MAX}
            required
          />
          <p className="text-xs text-muted-foreground">
            {PASSWORD_MIN} to {PASSWORD_MAX} characters.
          </p>
        </div>
        <Button type="submit" className="w-full" disabled={pending || !hydrated}>
          {pending ? "Creating account…" : "Create account"}
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
