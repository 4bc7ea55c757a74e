import { Badge } from "@/components/ui/badge";

const VARIANTS = {
  2: "success",
  3: "muted",
  4: "warning",
  5: "destructive",
} as const;

/** An HTTP status, coloured by its class. */
export function StatusBadge({ code }: { code: number }) {
  const variant = VARIANTS[Math.floor(code / 100) as keyof typeof VARIANTS] ?? "outline";
  return (
    <Badge variant={variant} className="font-mono tabular-nums">
      {code}
    </Badge>
  );
}
