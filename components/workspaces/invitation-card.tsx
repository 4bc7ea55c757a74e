"use client";

import { MailOpen } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { FormError } from "@/components/ui/form-error";
import type { InvitationPreview } from "@/contracts/workspaces";
import { authClient } from "@/lib/auth-client";
import { setFlash } from "@/lib/flash";
import { openAfterSessionChange } from "@/lib/session-change";
import { acceptInvitation, declineInvitation } from "@/lib/workspaces/actions";
import { roleLabel } from "@/lib/workspaces/manage";

const ENDED: Record<Exclude<InvitationPreview["status"], "pending">, string> = {
  accepted: "This invitation has been used already.",
  rejected: "This invitation was declined.",
  canceled: "This invitation was revoked.",
  expired: "This invitation has expired.",
};

/**
 * An invitation, as its reader can act on it: accept or decline when signed in with the
 * invited address; otherwise sign in, or create an account, with that address first.
 */
export function InvitationCard({
  invitationId,
  preview,
  viewer,
}: {
  invitationId: string;
  preview: InvitationPreview;
  viewer: { name: string; email: string } | null;
}) {
  const [pending, setPending] = useState<"accept" | "decline" | "sign-out" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [declined, setDeclined] = useState(false);
  const here = `/invite/${invitationId}`;

  async function run(kind: "accept" | "decline", action: () => Promise<unknown>) {
    setPending(kind);
    setError(null);
    try {
      await action();
      if (kind === "accept") {
        setFlash(`Welcome to ${preview.workspaceName}.`);
        openAfterSessionChange("/chat");
        return;
      }
      setDeclined(true);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "That did not work. Try again.");
    }
    setPending(null);
  }

  async function signOut() {
    setPending("sign-out");
    await authClient.signOut();
    openAfterSessionChange(here);
  }

  const title = `${preview.inviterName} invited you to ${preview.workspaceName}`;

  if (preview.status !== "pending" || declined) {
    return (
      <Card className="space-y-4">
        <CardTitle as="h1">{preview.workspaceName}</CardTitle>
        <CardDescription>
          {declined ? "You declined the invitation." : ENDED[preview.status as keyof typeof ENDED]}{" "}
          Ask {preview.inviterName} for a new one if you want to join.
        </CardDescription>
        <Link
          href={viewer ? "/dashboard" : "/sign-in"}
          className={buttonVariants({ variant: "outline", className: "w-full" })}
        >
          {viewer ? "Go to your dashboard" : "Go to sign-in"}
        </Link>
      </Card>
    );
  }

  const forViewer = viewer && viewer.email.toLowerCase() === preview.email.toLowerCase();
  return (
    <Card className="space-y-4">
      <div className="space-y-2">
        <MailOpen aria-hidden="true" className="size-8 text-primary-text" />
        <CardTitle as="h1">{title}</CardTitle>
        <CardDescription>
          You would join as {roleLabel(preview.role).toLowerCase()}. The invitation is for{" "}
          <strong className="break-all text-foreground">{preview.email}</strong>.
        </CardDescription>
      </div>
      {forViewer ? (
        <div className="space-y-2">
          <Button
            className="w-full"
            disabled={pending !== null}
            onClick={() => void run("accept", () => acceptInvitation(invitationId))}
          >
            {pending === "accept" ? "Joining…" : `Join ${preview.workspaceName}`}
          </Button>
          <Button
            variant="outline"
            className="w-full"
            disabled={pending !== null}
            onClick={() => void run("decline", () => declineInvitation(invitationId))}
          >
            {pending === "decline" ? "Declining…" : "Decline"}
          </Button>
        </div>
      ) : viewer ? (
        <div className="space-y-2">
          <p className="text-sm">
            You are signed in as <strong className="break-all">{viewer.email}</strong>. Sign in with
            the invited address to accept.
          </p>
          <Button
            variant="outline"
            className="w-full"
            disabled={pending !== null}
            onClick={() => void signOut()}
          >
            {pending === "sign-out" ? "Signing out…" : "Sign out and continue"}
          </Button>
        </div>
      ) : (
        <div className="space-y-2">
          <Link
            href={`/sign-up?${new URLSearchParams({ email: preview.email, next: here })}`}
            className={buttonVariants({ className: "w-full" })}
          >
            Create an account
          </Link>
          <Link
            href={`/sign-in?${new URLSearchParams({ next: here })}`}
            className={buttonVariants({ variant: "outline", className: "w-full" })}
          >
            I have an account: sign in
          </Link>
        </div>
      )}
      <FormError message={error ?? undefined} />
    </Card>
  );
}
