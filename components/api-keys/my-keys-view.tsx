"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { toast } from "@/components/ui/toaster";
import { useTRPC } from "@/lib/trpc/react";
import { keyStatus } from "./key-status";
import { KeyTable } from "./key-table";
import { KeyUsageDialog } from "./key-usage";
import { RevokeKeyButton } from "./revoke-key-button";
import { RotateKeyDialog } from "./rotate-key-dialog";

/** The signed-in user's keys, with create, rotate, revoke and usage. */
export function MyKeysView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: keys } = useSuspenseQuery(trpc.apiKeys.list.queryOptions());
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions());

  async function revokeKey(id: string, name: string) {
    await revoke.mutateAsync({ id });
    toast.success(`Key “${name}” revoked`);
    await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  }

  if (keys.length === 0) {
    return (
      <EmptyState
        icon={<KeyRound aria-hidden="true" />}
        title="No API keys yet"
        description="Create a key to call the Parley REST API from your scripts and tools. You choose what each key may do and how long it lives."
      />
    );
  }

  return (
    <KeyTable
      keys={keys}
      caption="Your API keys"
      actions={(key) => {
        const status = keyStatus(key);
        const usable = status === "active" || status === "expiring";
        return (
          <>
            <KeyUsageDialog apiKey={key} />
            {usable ? <RotateKeyDialog apiKey={key} /> : null}
            {!key.revoked ? (
              <RevokeKeyButton apiKey={key} onRevoke={() => revokeKey(key.id, key.name)} />
            ) : null}
          </>
        );
      }}
    />
  );
}
