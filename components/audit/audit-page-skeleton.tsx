import { Skeleton } from "@/components/ui/skeleton";
import { AuditTableSkeleton } from "./audit-table";

/** The audit screen's shape while its first page loads. */
export function AuditPageSkeleton({ label }: { label: string }) {
  return (
    <div aria-busy="true">
      <span className="sr-only">{label}</span>
      <div className="mb-6 space-y-2">
        <Skeleton className="h-8 w-40" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <Skeleton className="mb-4 h-44" />
      <div className="mb-3 flex justify-between">
        <Skeleton className="h-5 w-24" />
        <Skeleton className="h-8 w-28" />
      </div>
      <AuditTableSkeleton />
    </div>
  );
}
