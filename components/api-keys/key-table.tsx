"use client";

import { useState, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { ApiKey } from "@/contracts/api-keys";
import { keyStatus, maskedKey } from "./key-status";
import { KeyStatusBadge } from "./key-status-badge";
import { scopeSummary } from "./scope-summary";
import { Timestamp } from "./timestamp";

export type KeyRow = ApiKey & { ownerName?: string | null; ownerEmail?: string | null };

/**
 * Keys as a table; the same for one's own keys and, with `showOwner`, for an admin's view of
 * everyone's. `actions` renders the last cell of each row.
 */
export function KeyTable<T extends KeyRow>({
  keys,
  caption,
  showOwner = false,
  actions,
}: {
  keys: T[];
  caption: string;
  showOwner?: boolean;
  actions: (key: T) => ReactNode;
}) {
  // One "now" for the table's life: statuses and relative times stay consistent per render.
  const [now] = useState(() => Date.now());
  return (
    <Table label="API keys">
      <TableCaption>{caption}</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          {showOwner ? <TableHead>Owner</TableHead> : null}
          <TableHead>Key</TableHead>
          <TableHead>Scopes</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((key) => {
          const status = keyStatus(key, now);
          return (
            <TableRow key={key.id} data-testid="api-key-row" data-key-id={key.id}>
              <TableCell>
                <span className="block font-medium">{key.name}</span>
                {/* Under the name rather than a column of its own: the table keeps its room. */}
                <span className="block text-xs text-muted-foreground">
                  Created <Timestamp value={key.createdAt} />
                </span>
                {key.workspaceName ? (
                  <span className="block text-xs text-muted-foreground">
                    Works in {key.workspaceName}
                  </span>
                ) : null}
              </TableCell>
              {showOwner ? (
                <TableCell>
                  <span className="block whitespace-nowrap">{key.ownerName ?? "Deleted user"}</span>
                  <span className="block text-xs text-muted-foreground">{key.ownerEmail}</span>
                </TableCell>
              ) : null}
              <TableCell>
                <code className="font-mono text-xs whitespace-nowrap">{maskedKey(key.prefix)}</code>
              </TableCell>
              <TableCell>
                <ul
                  className="flex max-w-64 flex-wrap gap-1"
                  aria-label="Scopes"
                  title={key.scopes.join(", ")}
                >
                  {scopeSummary(key.scopes).map((label) => (
                    <li key={label}>
                      <Badge variant="outline" className="font-mono whitespace-nowrap">
                        {label}
                      </Badge>
                    </li>
                  ))}
                </ul>
              </TableCell>
              <TableCell data-testid="api-key-last-used">
                <Timestamp value={key.lastUsed} />
              </TableCell>
              <TableCell data-testid="api-key-expires">
                <Timestamp value={key.expiresAt} />
              </TableCell>
              <TableCell>
                <KeyStatusBadge status={status} />
              </TableCell>
              <TableCell>
                <div className="flex justify-end gap-1">{actions(key)}</div>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
