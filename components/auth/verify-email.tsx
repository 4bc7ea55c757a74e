"use client";

import { CircleCheck, LoaderCircle } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { authClient } from "@/lib/auth-client";
import { ResendVerificationForm } from "./resend-verification-form";

type Outcome = "verifying" | "verified" | "expired" | "invalid" | "failed";

const FAILURES: Record<Exclude<Outcome, "verifying" | "verified">, [string, string]> = {
  expired: [
    "This link has expired",
    "Confirmation links work for 24 hours. Ask for a new one below.",
  ],
  invalid: [
    "This link is invalid",
    "The link may be incomplete or already replaced by a newer one. Ask for a new one below.",
  ],
  failed: ["Your email could not be confirmed", "Something went wrong. Try the link again later."],
};

/**
 * Confirms the address from the mailed link. It runs in the browser (not on page render), so
 * a mail scanner fetching the link confirms nothing, and the session cookie that Better Auth
 * sets after verifying lands in this browser.
 */
export function VerifyEmail({ token }: { token: string | null }) {
  const [outcome, setOutcome] = useState<Outcome>(token ? "verifying" : "invalid");
  // Set when the link was an email change: Better Auth answers with the changed account.
  const [changedTo, setChangedTo] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    void authClient.verifyEmail({ query: { token } }).then(({ data, error }) => {
      if (!error) {
        const changed = (data as { user?: { email?: unknown } | null } | null)?.user?.email;
        setChangedTo(typeof changed === "string" ? changed : null);
        setOutcome("verified");
      } else if (error.code === "TOKEN_EXPIRED") setOutcome("expired");
      else if (error.code === "INVALID_TOKEN" || error.code === "USER_NOT_FOUND") {
        setOutcome("invalid");
      } else setOutcome("failed");
    });
  }, [token]);

  if (outcome === "verifying") {
    return (
      <Card className="space-y-2" aria-busy="true">
        <LoaderCircle
          aria-hidden="true"
          className="size-8 animate-spin text-muted-foreground motion-reduce:animate-none"
        />
        <CardTitle as="h1">Confirming your email…</CardTitle>
        <CardDescription>This takes a moment.</CardDescription>
      </Card>
    );
  }

  if (outcome === "verified") {
    return (
      <Card className="space-y-4">
        <div className="space-y-2">
          <CircleCheck aria-hidden="true" className="size-8 text-success-text" />
          <CardTitle as="h1">{changedTo ? "Email address changed" : "Email confirmed"}</CardTitle>
          <CardDescription>
            {changedTo
              ? `Your email address is now ${changedTo}. Sign in with it from now on.`
              : "Thanks: your email address is confirmed."}
          </CardDescription>
        </div>
        <Link href="/dashboard" className={buttonVariants({ className: "w-full" })}>
          Continue to Parley
        </Link>
      </Card>
    );
  }

  const [title, description] = FAILURES[outcome];
  return (
    <Card className="space-y-4">
      <div className="space-y-2">
        <CardTitle as="h1">{token ? title : "Confirm your email"}</CardTitle>
        <CardDescription>
          {token
            ? description
            : "Open the link we mailed you to confirm your address, or ask for a new one."}
        </CardDescription>
      </div>
      <ResendVerificationForm />
    </Card>
  );
}
