import { StatCardSkeleton, StatGrid } from "@/components/dashboard/stat-card";
import { Skeleton } from "@/components/ui/skeleton";

/** The health page's layout while it loads: the figures, the trend, then the tables. */
export function HealthSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true">
      <span className="sr-only">Loading the health figures…</span>
      <div className="flex items-center justify-between">
        <Skeleton className="h-4 w-56" />
        <Skeleton className="h-8 w-24" />
      </div>
      <StatGrid>
        {Array.from({ length: 4 }, (_, i) => (
          <StatCardSkeleton key={i} />
        ))}
      </StatGrid>
      <Skeleton className="h-[330px] rounded-xl" />
      <div className="grid grid-cols-1 gap-6 2xl:grid-cols-2">
        <Skeleton className="h-72 rounded-xl" />
        <Skeleton className="h-72 rounded-xl" />
      </div>
      <Skeleton className="h-96 rounded-xl" />
    </div>
  );
}
