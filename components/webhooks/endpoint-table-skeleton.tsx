import { Skeleton } from "@/components/ui/skeleton";

/** The endpoint table's shape while it loads. */
export function EndpointTableSkeleton({ rows = 2 }: { rows?: number }) {
  return (
    <div className="overflow-hidden rounded-lg border border-border" aria-hidden="true">
      <Skeleton className="h-10 rounded-none" />
      <div className="divide-y divide-border">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex items-center gap-4 px-3 py-3">
            <Skeleton className="h-4 w-48" />
            <Skeleton className="h-5 w-32" />
            <Skeleton className="h-5 w-16" />
            <Skeleton className="h-4 w-20" />
            <Skeleton className="ml-auto h-8 w-40" />
          </div>
        ))}
      </div>
    </div>
  );
}
