"use client";

import { KeyRound } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { authClient } from "@/lib/auth-client";
import { useHydrated } from "@/lib/hooks/use-hydrated";
import { openAfterSessionChange } from "@/lib/session-change";
import { rememberRetryAfter } from "./auth-errors";
import { passkeyErrorMessage } from "./passkey-errors";

/**
 * Signs in with a passkey the browser or a password manager offers (a discoverable
 * credential, so no email is asked first). It lives inside the sign-in form and reports its
 * failures there, through `onError`; `null` clears the form's message when a new try starts.
 */
export function PasskeySignInButton({
  next,
  onError,
}: {
  next: string;
  onError: (message: string | null) => void;
}) {
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  // Read after hydration only, so the server and the browser render the same button.
  const supported = hydrated && typeof window.PublicKeyCredential === "function";

  async function signIn() {
    setPending(true);
    onError(null);
    const retry = rememberRetryAfter();
    const { error } = await authClient.signIn.passkey({ fetchOptions: retry.fetchOptions });
    if (error) {
      setPending(false);
      onError(passkeyErrorMessage(error, retry.seconds, "Passkey sign-in failed. Try again."));
      return;
    }
    openAfterSessionChange(next);
  }

  return (
    <div className="space-y-3">
      <Button
        type="button"
        variant="outline"
        className="w-full"
        disabled={!supported || pending}
        aria-describedby={hydrated && !supported ? "passkey-unsupported" : undefined}
        onClick={() => void signIn()}
      >
        <KeyRound aria-hidden="true" className="size-4" />
        {/* Not "Sign in with…": "Sign in" names the form's own button, and only that one. */}
        {pending ? "Waiting for your passkey…" : "Use a passkey"}
      </Button>
      {hydrated && !supported ? (
        <p id="passkey-unsupported" className="text-xs text-muted-foreground">
          This browser cannot use passkeys. Use your email and password instead.
        </p>
      ) : null}
      <p className="text-center text-xs text-muted-foreground">or with your email and password</p>
    </div>
  );
}
