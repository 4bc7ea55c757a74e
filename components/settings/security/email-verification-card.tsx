"use client";

import { useState } from "react";
import { authErrorMessage, rememberRetryAfter } from "@/components/auth/auth-errors";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormError } from "@/components/ui/form-error";
import { toast } from "@/components/ui/toaster";
import { authClient } from "@/lib/auth-client";

export function EmailVerificationCard({ email, verified }: { email: string; verified: boolean }) {
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function resend() {
    setPending(true);
    setError(null);
    const retry = rememberRetryAfter();
    const { error: failure } = await authClient.sendVerificationEmail(
      { email },
      retry.fetchOptions,
    );
    setPending(false);
    if (failure) {
      setError(authErrorMessage(failure, retry.seconds, "The mail could not be sent. Try again."));
      return;
    }
    setSent(true);
    toast.success(`Verification email sent to ${email}.`);
  }

  return (
    <Card>
      <CardHeader>
        <div className="flex flex-wrap items-center gap-2">
          <CardTitle>Email address</CardTitle>
          {verified ? (
            <Badge variant="success">Verified</Badge>
          ) : (
            <Badge variant="warning">Not verified</Badge>
          )}
        </div>
        <CardDescription>
          <span className="font-medium text-foreground">{email}</span>
          {verified
            ? " is confirmed as yours."
            : " is not confirmed yet. Open the link we mailed you, or ask for a new one."}
        </CardDescription>
      </CardHeader>
      {verified ? null : (
        <div className="space-y-3">
          <FormError message={error} />
          <Button variant="outline" onClick={() => void resend()} disabled={pending}>
            {pending ? "Sending…" : sent ? "Send it again" : "Resend verification email"}
          </Button>
        </div>
      )}
    </Card>
  );
}
