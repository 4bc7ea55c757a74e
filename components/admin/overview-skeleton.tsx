import { StatCardSkeleton, StatGrid } from "@/components/dashboard/stat-card";
import { Skeleton } from "@/components/ui/skeleton";

/** The overview's final layout while it loads: four cards, two charts, one wide chart. */
export function OverviewSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true">
      <span className="sr-only">Loading the overview…</span>
      <StatGrid>
        {Array.from({ length: 4 }, (_, i) => (
          <StatCardSkeleton key={i} />
        ))}
      </StatGrid>
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Skeleton className="h-[358px] rounded-xl" />
        <Skeleton className="h-[358px] rounded-xl" />
        <Skeleton className="h-[318px] rounded-xl xl:col-span-2" />
      </div>
    </div>
  );
}
