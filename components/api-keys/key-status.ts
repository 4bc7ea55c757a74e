import { MAX_GRACE_HOURS } from "@/contracts/api-keys";

export type KeyStatus = "active" | "expiring" | "revoked" | "expired";

/**
 * What a key's row says about it. "expiring": it still works but stops within the longest
 * rotation grace period, as the old key of a rotation does.
 */
export function keyStatus(
  key: { revoked: boolean; expiresAt: Date | null },
  now = Date.now(),
): KeyStatus {
  if (key.revoked) return "revoked";
  if (!key.expiresAt) return "active";
  const left = key.expiresAt.getTime() - now;
  if (left <= 0) return "expired";
  return left <= MAX_GRACE_HOURS * 3_600_000 ? "expiring" : "active";
}

export const KEY_STATUS_LABELS: Record<KeyStatus, string> = {
  active: "Active",
  expiring: "Expiring",
  revoked: "Revoked",
  expired: "Expired",
};

export const KEY_STATUS_VARIANTS = {
  active: "success",
  expiring: "warning",
  revoked: "destructive",
  expired: "muted",
} as const satisfies Record<KeyStatus, string>;

/** The way a key is shown everywhere: its public prefix, never the secret. */
export function maskedKey(prefix: string): string {
  return `prl_${prefix}…`;
}
