"use client";

import { OneTimeSecret, type UncopiedSecretGuard } from "@/components/secrets/one-time-secret";

/** A new key's secret, shown this once: only its hash is kept, so it cannot be shown again. */
export function SecretReveal(props: {
  secret: string;
  guard: UncopiedSecretGuard;
  onClose: () => void;
}) {
  return (
    <OneTimeSecret
      {...props}
      label="Your new API key"
      noun="key"
      warning="Copy this key now and store it somewhere safe. It will not be shown again: Parley keeps only a hash of it."
      testId="api-key-secret"
    />
  );
}
