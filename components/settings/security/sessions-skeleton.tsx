import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

export function SessionsSkeleton() {
  return (
    <Card className="space-y-4">
      <div className="space-y-2">
        <Skeleton className="h-6 w-56" />
        <Skeleton className="h-4 w-80 max-w-full" />
      </div>
      <Skeleton className="h-10 w-full" />
      <Skeleton className="h-12 w-full" />
      <Skeleton className="h-12 w-full" />
    </Card>
  );
}
