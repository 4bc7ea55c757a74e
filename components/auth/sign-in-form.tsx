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

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signIn.email({
      email: formText(form, "email"),
      password: formText(form, "password"),
    });
    if (failure) {
      setPending(false);
      setError(failure.message ?? "Sign-in failed. Try again.");
      return;
    }
    router.replace(next);
    router.refresh();
  }

  return (
    <Card>
      <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
        <div className="space-y-1">
          <CardTitle as="h1">Sign in</CardTitle>
          <CardDescription>Welcome back to Parley.</CardDescription>
        </div>
        <FormError message={error} />
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
            autoComplete="current-password"
            required
          />
        </div>
        <Button type="submit" className="w-full" disabled={pending || !hydrated}>
          {pending ? "Signing in…" : "Sign in"}
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
