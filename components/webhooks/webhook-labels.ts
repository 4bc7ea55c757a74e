import {
  WEBHOOK_TEST_EVENT,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
} from "@/contracts/webhooks";

/** What each event means to a person choosing what to subscribe to. */
export const EVENT_LABELS: Record<WebhookEventType, string> = {
  "message.created": "Message sent",
  "message.edited": "Message edited",
  "message.deleted": "Message deleted",
  "member.joined": "Member joined",
  "member.left": "Member left",
  "reaction.added": "Reaction added",
  "reaction.removed": "Reaction removed",
};

/** A delivery's event in words; a type this page does not know yet is shown as sent. */
export function eventLabel(type: string): string {
  if (type === WEBHOOK_TEST_EVENT) return "Test event";
  return type in EVENT_LABELS ? EVENT_LABELS[type as WebhookEventType] : type;
}

export type BadgeVariant = "success" | "warning" | "destructive" | "muted" | "default";

export interface StatusView {
  label: string;
  variant: BadgeVariant;
}

/**
 * An endpoint's health: off (with the reason, when the server turned it off), failing (on,
 * but its last deliveries gave up), or on.
 */
export function endpointStatus(
  endpoint: Pick<WebhookEndpoint, "enabled" | "disabledReason" | "consecutiveFailures">,
): StatusView & { reason: string | null } {
  if (!endpoint.enabled) {
    return { label: "Disabled", variant: "muted", reason: endpoint.disabledReason };
  }
  if (endpoint.consecutiveFailures > 0) {
    const failures = endpoint.consecutiveFailures;
    return {
      label: "Failing",
      variant: "warning",
      reason: `${failures} ${failures === 1 ? "delivery" : "deliveries"} in a row failed`,
    };
  }
  return { label: "Enabled", variant: "success", reason: null };
}

/**
 * A delivery's state. A pending delivery that was already tried is waiting for its next
 * attempt, which a person reads differently from one not sent yet.
 */
export function deliveryStatus(delivery: Pick<WebhookDelivery, "status" | "attempts">): StatusView {
  switch (delivery.status) {
    case "succeeded":
      return { label: "Succeeded", variant: "success" };
    case "failed":
      return { label: "Failed", variant: "destructive" };
    case "skipped":
      return { label: "Skipped", variant: "muted" };
    case "pending":
      return delivery.attempts > 0
        ? { label: "Retrying", variant: "warning" }
        : { label: "Pending", variant: "default" };
  }
}

/** Whether the log may still change by itself, so it is worth asking again soon. */
export function hasPending(deliveries: readonly Pick<WebhookDelivery, "status">[]): boolean {
  return deliveries.some((delivery) => delivery.status === "pending");
}

/** A settled delivery that did not arrive can be sent again; a pending one is still trying. */
export function canRedeliver(delivery: Pick<WebhookDelivery, "status">): boolean {
  return delivery.status === "failed" || delivery.status === "skipped";
}
