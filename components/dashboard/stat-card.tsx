import type { ReactNode } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";

/**
 * One figure with its label and a line of context, as a `<dt>`/`<dd>` group of a StatGrid.
 * A fixed height, so loading never jumps.
 */
export function StatCard({
  label,
  value,
  hint,
  icon,
  testId,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  icon?: ReactNode;
  testId?: string;
}) {
  return (
    <div
      data-testid={testId}
      className="flex h-28 min-w-0 flex-col justify-between rounded-xl border border-border bg-card p-4 text-card-foreground shadow-sm"
    >
      <dt className="flex items-center justify-between gap-2 text-sm text-muted-foreground">
        <span className="truncate">{label}</span>
        {icon ? <span className="shrink-0 [&_svg]:size-4">{icon}</span> : null}
      </dt>
      <dd className="truncate text-2xl font-semibold tabular-nums">{value}</dd>
      <dd className="truncate text-xs text-muted-foreground">{hint ?? " "}</dd>
    </div>
  );
}

export function StatGrid({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <dl className={cn("grid grid-cols-1 gap-4 min-[420px]:grid-cols-2 lg:grid-cols-4", className)}>
      {children}
    </dl>
  );
}

export function StatCardSkeleton() {
  return <Skeleton className="h-28 rounded-xl" />;
}
