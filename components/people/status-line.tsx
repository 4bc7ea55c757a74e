import type { UserStatus } from "@/contracts/statuses";
import { cn } from "@/lib/utils";

/** "🌴 On holiday" as one line, for lists and headers; nothing without a status. */
export function StatusLine({
  status,
  className,
}: {
  status: UserStatus | null | undefined;
  className?: string;
}) {
  if (!status) return null;
  const words = [status.emoji, status.text].filter(Boolean).join(" ");
  return (
    <span className={cn("truncate", className)} title={words} data-testid="status-line">
      {words}
    </span>
  );
}
