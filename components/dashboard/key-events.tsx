"use client";

import { KeyRound, RefreshCw, ShieldX } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { DashboardSummary } from "@/contracts/dashboard";
import { RelativeTime } from "@/components/ui/relative-time";

const ACTIONS = {
  "api_key.created": { verb: "Created", icon: KeyRound },
  "api_key.rotated": { verb: "Rotated", icon: RefreshCw },
  "api_key.revoked": { verb: "Revoked", icon: ShieldX },
} as const;

export function KeyEvents({ events }: { events: DashboardSummary["keyEvents"] }) {
  if (events.length === 0) {
    return (
      <EmptyState
        icon={<KeyRound aria-hidden="true" />}
        title="No key activity yet"
        description="Keys you create, rotate or revoke are listed here."
        action={
          <Button asChild variant="outline">
            <Link href="/settings/api-keys">Manage API keys</Link>
          </Button>
        }
      />
    );
  }
  return (
    <ul className="divide-y divide-border" data-testid="key-events">
      {events.map((e) => {
        const { verb, icon: Icon } = ACTIONS[e.action];
        return (
          <li key={e.id} className="flex items-center gap-3 py-2.5 text-sm">
            <Icon aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
            <p className="min-w-0 flex-1 truncate">
              {verb} <span className="font-medium">{e.keyName ?? "a key"}</span>
              {e.keyPrefix ? (
                <span className="font-mono text-xs text-muted-foreground"> prl_{e.keyPrefix}…</span>
              ) : null}
              {e.byAdmin ? <span className="text-muted-foreground"> by an admin</span> : null}
            </p>
            <RelativeTime value={e.createdAt} className="shrink-0 text-xs text-muted-foreground" />
          </li>
        );
      })}
    </ul>
  );
}
