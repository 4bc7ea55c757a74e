import { Check, CheckCheck, Clock } from "lucide-react";
import { cn } from "@/lib/utils";

export type DeliveryStatus = "sending" | "sent" | "delivered" | "read";

const LABELS: Record<DeliveryStatus, string> = {
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
};

/** Clock, ✓, ✓✓ and highlighted ✓✓, each with words for screen readers. */
export function MessageStatus({ status }: { status: DeliveryStatus }) {
  const Icon = status === "sending" ? Clock : status === "sent" ? Check : CheckCheck;
  return (
    <span
      data-testid="message-status"
      data-status={status}
      title={LABELS[status]}
      className={cn("inline-flex", status === "read" && "text-receipt-read")}
    >
      <Icon aria-hidden="true" className="size-3.5" />
      <span className="sr-only">{LABELS[status]}</span>
    </span>
  );
}
