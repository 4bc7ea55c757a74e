import { Badge } from "@/components/ui/badge";
import { KEY_STATUS_LABELS, KEY_STATUS_VARIANTS, type KeyStatus } from "./key-status";

export function KeyStatusBadge({ status }: { status: KeyStatus }) {
  return <Badge variant={KEY_STATUS_VARIANTS[status]}>{KEY_STATUS_LABELS[status]}</Badge>;
}
