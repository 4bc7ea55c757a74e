"use client";

import { OneTimeSecret, type UncopiedSecretGuard } from "@/components/secrets/one-time-secret";

/**
 * An endpoint's signing secret, shown this once: requests cannot read it back, so a lost
 * secret is replaced by rotating it.
 */
export function SigningSecretReveal(props: {
  secret: string;
  guard: UncopiedSecretGuard;
  onClose: () => void;
}) {
  return (
    <OneTimeSecret
      {...props}
      label="Signing secret"
      noun="secret"
      warning="Copy this secret now and give it to the receiving service. It will not be shown again; if you lose it, rotate it."
      hint={
        <>
          Verify each request&apos;s <code className="font-mono">webhook-signature</code> header
          with it, using any Standard Webhooks library.
        </>
      }
      testId="webhook-secret"
    />
  );
}
