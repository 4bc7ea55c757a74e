"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Laptop, Monitor, Smartphone, Tablet } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import {
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import { useFormatters } from "@/lib/format";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { SessionView } from "@/contracts/security";
import { RelativeTime } from "@/components/ui/relative-time";

const DEVICE_ICONS = { desktop: Monitor, mobile: Smartphone, tablet: Tablet, other: Laptop };

function deviceName(session: SessionView): string {
  if (session.browser && session.os) return `${session.browser} on ${session.os}`;
  return session.browser ?? session.os ?? "Unknown device";
}

/** Throws the server's words, so ConfirmDialog shows them and stays open. */
async function orThrow<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (failure) {
    throw new Error(errorMessage(failure), { cause: failure });
  }
}

export function SessionsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const format = useFormatters();
  const { data: sessions } = useSuspenseQuery(trpc.security.sessions.list.queryOptions());
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.security.sessions.list.queryKey() });
  const revoke = useMutation(
    trpc.security.sessions.revoke.mutationOptions({ onSettled: invalidate }),
  );
  const revokeOthers = useMutation(
    trpc.security.sessions.revokeOthers.mutationOptions({ onSettled: invalidate }),
  );
  const others = sessions.filter((s) => !s.current);

  return (
    <Card>
      <CardHeader className="flex flex-wrap items-start justify-between gap-4 space-y-0">
        <div className="space-y-1">
          <CardTitle>Where you are signed in</CardTitle>
          <CardDescription>
            Sign out any device you do not recognise, then change your password.
          </CardDescription>
        </div>
        {others.length > 0 ? (
          <ConfirmDialog
            trigger={<Button variant="outline">Sign out all other devices</Button>}
            title="Sign out all other devices?"
            description={`${others.length === 1 ? "1 other device" : `${others.length} other devices`} will be signed out. This device stays signed in.`}
            confirmLabel="Sign out other devices"
            pendingLabel="Signing out…"
            onConfirm={async () => {
              const { revoked } = await orThrow(revokeOthers.mutateAsync());
              toast.success(
                revoked === 1 ? "1 device signed out." : `${revoked} devices signed out.`,
              );
            }}
          />
        ) : null}
      </CardHeader>
      {/* Focusable, so keyboard users can scroll the table sideways on a narrow screen. */}
      <div
        role="region"
        aria-label="Your signed-in sessions"
        tabIndex={0}
        className="w-full overflow-x-auto rounded-lg border border-border focus-visible:outline-2 focus-visible:outline-ring"
      >
        <table className="w-full caption-bottom text-sm">
          <TableCaption>Your signed-in sessions</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Device</TableHead>
              <TableHead>IP address</TableHead>
              <TableHead>Signed in</TableHead>
              <TableHead>Last active</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {sessions.map((session) => {
              const Icon = DEVICE_ICONS[session.deviceType];
              const name = deviceName(session);
              return (
                <TableRow key={session.id} data-testid="session-row">
                  <TableCell>
                    <div className="flex items-center gap-2">
                      <Icon aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
                      <span className="font-medium whitespace-nowrap">{name}</span>
                      {session.current ? <Badge>This device</Badge> : null}
                    </div>
                  </TableCell>
                  <TableCell className="font-mono text-xs whitespace-nowrap">
                    {session.ipAddress ?? "Unknown"}
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    <time dateTime={session.createdAt.toISOString()}>
                      {format.dateTime(session.createdAt)}
                    </time>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    <RelativeTime value={session.lastActiveAt} />
                  </TableCell>
                  <TableCell className="text-right">
                    {session.current ? null : (
                      <ConfirmDialog
                        trigger={
                          <Button variant="ghost" size="sm" aria-label={`Sign out ${name}`}>
                            Sign out
                          </Button>
                        }
                        title="Sign out this device?"
                        description={`${name}${session.ipAddress ? ` (${session.ipAddress})` : ""} will be signed out and has to sign in again.`}
                        confirmLabel="Sign out device"
                        pendingLabel="Signing out…"
                        onConfirm={async () => {
                          await orThrow(revoke.mutateAsync({ id: session.id }));
                          toast.success(`${name} signed out.`);
                        }}
                      />
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </table>
      </div>
      {others.length === 0 ? (
        <EmptyState
          className="mt-4"
          title="No other devices"
          description="Only this browser is signed in to your account."
        />
      ) : null}
    </Card>
  );
}
