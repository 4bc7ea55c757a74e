"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import {
  auditSearchString,
  readAuditSearch,
  type AuditScope,
  type AuditSearch,
} from "./audit-search";

/**
 * The filters from the URL, and a setter that pushes a history entry (so the back button
 * steps back through them) without a server round trip.
 */
export function useAuditSearch(scope: AuditScope) {
  const params = useSearchParams();
  const pathname = usePathname();
  const query = params.toString();
  const search = useMemo(() => readAuditSearch(new URLSearchParams(query), scope), [query, scope]);
  const setSearch = useCallback(
    (next: AuditSearch) => {
      const qs = auditSearchString(next);
      window.history.pushState(null, "", qs ? `${pathname}?${qs}` : pathname);
    },
    [pathname],
  );
  return { search, setSearch, searchKey: auditSearchString(search) };
}
