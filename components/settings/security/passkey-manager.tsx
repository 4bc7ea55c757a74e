"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import { useState } from "react";
import { passkeyErrorMessage } from "@/components/auth/passkey-errors";
import { rememberRetryAfter } from "@/components/auth/auth-errors";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import {
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import { authClient } from "@/lib/auth-client";
import { useFormatters } from "@/lib/format";
import { useHydrated } from "@/lib/hooks/use-hydrated";
import { PasskeyNameDialog } from "./passkey-name-dialog";

const PASSKEYS_QUERY_KEY = ["auth", "passkeys"] as const;

/** What the list shows of one passkey. */
interface PasskeyRow {
  id: string;
  name: string | null;
  createdAt: Date;
  backedUp: boolean;
  aaguid: string | null;
}

/** Everything but a zero AAGUID names an authenticator model; privacy-minded platforms send zeros. */
function providerOf(aaguid: string | null, providers: Readonly<Record<string, string>>) {
  const key = aaguid?.trim().toLowerCase();
  return key && Object.hasOwn(providers, key) ? providers[key] : undefined;
}

async function loadPasskeys(): Promise<PasskeyRow[]> {
  const { data, error } = await authClient.passkey.listUserPasskeys();
  if (error) throw new Error(error.message ?? "Your passkeys could not be loaded.");
  return data
    .map((p) => ({
      id: p.id,
      name: p.name?.trim() ? p.name : null,
      // The JSON answer may carry the date as text.
      createdAt: new Date(p.createdAt),
      backedUp: p.backedUp,
      aaguid: p.aaguid ?? null,
    }))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

type Editing = { mode: "add" } | { mode: "rename"; passkey: PasskeyRow } | null;

/**
 * A person's passkeys: add one (the browser asks the authenticator), rename, remove.
 * `providers` maps an authenticator's AAGUID to the name people know it by.
 */
export function PasskeyManager({
  limit,
  providers,
}: {
  limit: number;
  providers: Readonly<Record<string, string>>;
}) {
  const queryClient = useQueryClient();
  const format = useFormatters();
  const hydrated = useHydrated();
  const [editing, setEditing] = useState<Editing>(null);
  // Read after hydration only, so the server and the browser render the same card.
  const supported = hydrated && typeof window.PublicKeyCredential === "function";
  const passkeys = useQuery({ queryKey: PASSKEYS_QUERY_KEY, queryFn: loadPasskeys });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: PASSKEYS_QUERY_KEY });
  const list = passkeys.data ?? [];
  const full = list.length >= limit;
  const labelOf = (p: PasskeyRow) => p.name ?? providerOf(p.aaguid, providers) ?? "Passkey";

  async function add(name: string): Promise<string | null> {
    const retry = rememberRetryAfter();
    const { error } = await authClient.passkey.addPasskey({
      name,
      fetchOptions: retry.fetchOptions,
    });
    if (error) return passkeyErrorMessage(error, retry.seconds, "The passkey could not be added.");
    toast.success(`Passkey "${name}" added. You can sign in with it now.`);
    await invalidate();
    return null;
  }

  async function rename(passkey: PasskeyRow, name: string): Promise<string | null> {
    const { error } = await authClient.passkey.updatePasskey({ id: passkey.id, name });
    if (error) return passkeyErrorMessage(error, null, "The passkey could not be renamed.");
    toast.success(`Passkey renamed to "${name}".`);
    await invalidate();
    return null;
  }

  async function remove(passkey: PasskeyRow): Promise<void> {
    const { error } = await authClient.passkey.deletePasskey({ id: passkey.id });
    // Thrown, so ConfirmDialog shows the words and stays open.
    if (error)
      throw new Error(passkeyErrorMessage(error, null, "The passkey could not be removed."));
    toast.success(`Passkey "${labelOf(passkey)}" removed.`);
    await invalidate();
  }

  return (
    <Card>
      <CardHeader className="flex flex-wrap items-start justify-between gap-4 space-y-0">
        <div className="space-y-1">
          <CardTitle>Passkeys</CardTitle>
          <CardDescription>
            Sign in with your fingerprint, face or device PIN instead of your password. A passkey
            works only here and cannot be phished. Up to {limit} passkeys.
          </CardDescription>
        </div>
        <Button
          variant="outline"
          disabled={!supported || full || passkeys.isPending}
          onClick={() => setEditing({ mode: "add" })}
        >
          <KeyRound aria-hidden="true" className="size-4" />
          Add a passkey
        </Button>
      </CardHeader>
      {hydrated && !supported ? (
        <p className="mb-4 text-sm text-muted-foreground">
          This browser cannot create or use passkeys. Open Parley in a current browser to add one.
        </p>
      ) : null}
      {full ? (
        <p className="mb-4 text-sm text-muted-foreground">
          You have {limit} passkeys, the most one account may have. Remove one to add another.
        </p>
      ) : null}
      {passkeys.isPending ? (
        <div className="space-y-2" role="status">
          <span className="sr-only">Loading your passkeys…</span>
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-12 w-full" />
        </div>
      ) : passkeys.isError ? (
        <ErrorState message={passkeys.error.message} onRetry={() => void passkeys.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState
          title="No passkeys yet"
          description="Add one to sign in without typing your password. Your password keeps working."
        />
      ) : (
        // Focusable, so keyboard users can scroll the table sideways on a narrow screen.
        <div
          role="region"
          aria-label="Your passkeys"
          tabIndex={0}
          className="w-full overflow-x-auto rounded-lg border border-border focus-visible:outline-2 focus-visible:outline-ring"
        >
          <table className="w-full caption-bottom text-sm">
            <TableCaption>Your passkeys</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Storage</TableHead>
                <TableHead>Added</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((passkey) => {
                const label = labelOf(passkey);
                const provider = providerOf(passkey.aaguid, providers);
                return (
                  <TableRow key={passkey.id} data-testid="passkey-row">
                    <TableCell>
                      <div className="flex items-center gap-2">
                        <KeyRound
                          aria-hidden="true"
                          className="size-4 shrink-0 text-muted-foreground"
                        />
                        <div className="min-w-0">
                          <p className="font-medium break-words">{label}</p>
                          {provider && provider !== label ? (
                            <p className="text-xs text-muted-foreground">{provider}</p>
                          ) : null}
                        </div>
                      </div>
                    </TableCell>
                    <TableCell className="whitespace-nowrap">
                      {passkey.backedUp ? (
                        <Badge>Synced</Badge>
                      ) : (
                        <Badge variant="muted">On one device</Badge>
                      )}
                    </TableCell>
                    <TableCell className="whitespace-nowrap">
                      <time dateTime={passkey.createdAt.toISOString()}>
                        {format.dateTime(passkey.createdAt)}
                      </time>
                    </TableCell>
                    <TableCell className="text-right whitespace-nowrap">
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Rename ${label}`}
                        onClick={() => setEditing({ mode: "rename", passkey })}
                      >
                        Rename
                      </Button>
                      <ConfirmDialog
                        trigger={
                          <Button variant="ghost" size="sm" aria-label={`Remove ${label}`}>
                            Remove
                          </Button>
                        }
                        title="Remove this passkey?"
                        description={`"${label}" will no longer sign you in to Parley. Also delete it from your device or password manager, where it stays until you do.`}
                        confirmLabel="Remove passkey"
                        pendingLabel="Removing…"
                        onConfirm={() => remove(passkey)}
                      />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </table>
        </div>
      )}
      {editing?.mode === "add" ? (
        <PasskeyNameDialog
          open
          onOpenChange={(open) => setEditing(open ? editing : null)}
          title="Add a passkey"
          description="Name it after the device or password manager that keeps it. Your browser then asks you to confirm with your fingerprint, face, PIN or security key."
          submit={{ label: "Continue", busy: "Waiting for your passkey…" }}
          onSubmit={add}
        />
      ) : editing?.mode === "rename" ? (
        <PasskeyNameDialog
          key={editing.passkey.id}
          open
          onOpenChange={(open) => setEditing(open ? editing : null)}
          title="Rename passkey"
          description="A name that tells you which device or password manager keeps it."
          initialName={editing.passkey.name ?? ""}
          submit={{ label: "Save name", busy: "Saving…" }}
          onSubmit={(name) => rename(editing.passkey, name)}
        />
      ) : null}
    </Card>
  );
}
