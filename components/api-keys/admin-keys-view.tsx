"use client";

import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQueryClient,
} from "@tanstack/react-query";
import { KeyRound, ScrollText, Search } from "lucide-react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useMemo, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import {
  ADMIN_KEY_STATUSES,
  adminKeyListInput,
  adminKeySearchString,
  readAdminKeySearch,
  type AdminKeySearch,
} from "./admin-key-search";
import { KEY_STATUS_LABELS } from "./key-status";
import { KeyTable } from "./key-table";
import { KeyTableSkeleton } from "./key-table-skeleton";
import { RevokeKeyButton } from "./revoke-key-button";
import { Tooltip } from "@/components/ui/tooltip";
import { RowActionLabel } from "@/components/ui/row-action-label";

function Filters({
  search,
  onApply,
}: {
  search: AdminKeySearch;
  onApply: (search: AdminKeySearch) => void;
}) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = data.get(name);
      return typeof value === "string" ? value : undefined;
    };
    onApply(readAdminKeySearch({ q: text("q"), status: text("status") }));
  }
  return (
    <form
      role="search"
      aria-label="Filter API keys"
      onSubmit={submit}
      className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-border bg-card p-4"
    >
      <Field label="Search" className="min-w-56 flex-1">
        {(control) => (
          <Input
            {...control}
            name="q"
            type="search"
            maxLength={100}
            placeholder="Owner name or email, key name or prefix"
            defaultValue={search.q ?? ""}
          />
        )}
      </Field>
      <Field label="Status" className="w-40">
        {(control) => (
          <NativeSelect {...control} name="status" defaultValue={search.status ?? ""}>
            <option value="">Any status</option>
            {ADMIN_KEY_STATUSES.map((status) => (
              <option key={status} value={status}>
                {KEY_STATUS_LABELS[status]}
              </option>
            ))}
          </NativeSelect>
        )}
      </Field>
      <Button type="submit">
        <Search aria-hidden="true" />
        Search
      </Button>
    </form>
  );
}

/** Every user's keys, for site admins: filter by owner or status, revoke. */
export function AdminKeysView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const params = useSearchParams();
  const pathname = usePathname();
  const query = params.toString();
  const search = useMemo(() => readAdminKeySearch(new URLSearchParams(query)), [query]);
  const searchKey = adminKeySearchString(search);
  const keys = useInfiniteQuery(
    trpc.admin.apiKeys.list.infiniteQueryOptions(adminKeyListInput(search), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      placeholderData: keepPreviousData,
    }),
  );
  const revoke = useMutation(trpc.admin.apiKeys.revoke.mutationOptions());

  function apply(next: AdminKeySearch) {
    const qs = adminKeySearchString(next);
    window.history.pushState(null, "", qs ? `${pathname}?${qs}` : pathname);
  }

  async function revokeKey(id: string, name: string, owner: string) {
    await revoke.mutateAsync({ id });
    toast.success(`${owner}'s key “${name}” revoked`);
    await queryClient.invalidateQueries(trpc.admin.apiKeys.list.pathFilter());
  }

  const rows = keys.data?.pages.flatMap((page) => page.items);
  return (
    <div>
      <Filters key={searchKey} search={search} onApply={apply} />
      {keys.isError ? (
        <ErrorState message={errorMessage(keys.error)} onRetry={() => void keys.refetch()} />
      ) : !rows ? (
        <KeyTableSkeleton rows={5} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<KeyRound aria-hidden="true" />}
          title={searchKey ? "No keys match these filters" : "Nobody has an API key yet"}
          description={
            searchKey
              ? "Try another name or email, or any status."
              : "Keys users create in their settings appear here."
          }
        />
      ) : (
        <div className={keys.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
          <KeyTable
            keys={rows}
            caption="API keys of all users"
            showOwner
            actions={(key) => {
              const owner = key.ownerName ?? key.ownerEmail ?? "This user";
              return (
                <>
                  <Tooltip content="Requests">
                    <Button asChild variant="ghost" size="sm">
                      <Link href={`/admin/audit?key=${key.id}`}>
                        <ScrollText aria-hidden="true" />
                        <RowActionLabel label="Requests" detail={`with ${key.name}`} />
                      </Link>
                    </Button>
                  </Tooltip>
                  {!key.revoked ? (
                    <RevokeKeyButton
                      apiKey={key}
                      owner={owner}
                      onRevoke={() => revokeKey(key.id, key.name, owner)}
                    />
                  ) : null}
                </>
              );
            }}
          />
          {keys.hasNextPage ? (
            <div className="mt-4 flex justify-center">
              <Button
                variant="outline"
                onClick={() => void keys.fetchNextPage()}
                disabled={keys.isFetchingNextPage}
              >
                {keys.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </div>
  );
}
