"use client";

import { Download, ScrollText, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import type { AuditViewRow } from "@/contracts/audit";
import { AuditFilterBar, type KeyOption } from "./audit-filter-bar";
import { auditExportHref, type AuditScope, type AuditSearch } from "./audit-search";
import { AuditTable, AuditTableSkeleton } from "./audit-table";

export interface AuditPages {
  rows: AuditViewRow[] | undefined;
  error: string | null;
  /** The rows shown are the previous filters' while the new ones load. */
  stale: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  retry: () => void;
}

/** The audit log screen, the same for one's own trail and an admin's view of everyone's. */
export function AuditLogPanel({
  scope,
  search,
  searchKey,
  onSearch,
  keys,
  pages,
}: {
  scope: AuditScope;
  search: AuditSearch;
  searchKey: string;
  onSearch: (search: AuditSearch) => void;
  keys?: KeyOption[];
  pages: AuditPages;
}) {
  const filtered = Object.values(search).some(Boolean);
  return (
    <div>
      <AuditFilterBar
        key={searchKey}
        scope={scope}
        search={search}
        keys={keys}
        onApply={onSearch}
      />
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
          {scope === "admin" && search.key ? (
            <Button
              variant="outline"
              size="sm"
              onClick={() => onSearch({ ...search, key: undefined })}
            >
              <X aria-hidden="true" />
              Only key {search.key.slice(0, 8)}… — show all keys
            </Button>
          ) : null}
          <span role="status" aria-live="polite">
            {pages.rows
              ? `${pages.rows.length}${pages.hasMore ? "+" : ""} ${pages.rows.length === 1 ? "request" : "requests"}${pages.stale ? " (updating…)" : ""}`
              : "Loading…"}
          </span>
        </div>
        <Button asChild variant="outline" size="sm">
          <a href={auditExportHref(search, scope)} download>
            <Download aria-hidden="true" />
            Export CSV
          </a>
        </Button>
      </div>
      {pages.error ? (
        <ErrorState message={pages.error} onRetry={pages.retry} />
      ) : !pages.rows ? (
        <AuditTableSkeleton />
      ) : pages.rows.length === 0 ? (
        <EmptyState
          icon={<ScrollText aria-hidden="true" />}
          title={filtered ? "No requests match these filters" : "No requests yet"}
          description={
            filtered
              ? "Try a wider date range or fewer filters."
              : scope === "admin"
                ? "Requests to the REST API and security-relevant actions in the app appear here."
                : "Calls with your API keys and security-relevant actions you take in the app appear here."
          }
          action={
            filtered ? (
              <Button variant="outline" size="sm" onClick={() => onSearch({})}>
                Clear filters
              </Button>
            ) : null
          }
        />
      ) : (
        <div className={pages.stale ? "opacity-60 transition-opacity" : undefined}>
          <AuditTable rows={pages.rows} scope={scope} />
          {pages.hasMore ? (
            <div className="mt-4 flex justify-center">
              <Button variant="outline" onClick={pages.loadMore} disabled={pages.loadingMore}>
                {pages.loadingMore ? "Loading…" : "Load more"}
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </div>
  );
}
