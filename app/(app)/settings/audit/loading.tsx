import { AuditPageSkeleton } from "@/components/audit/audit-page-skeleton";

export default function Loading() {
  return <AuditPageSkeleton label="Loading your audit log…" />;
}
