"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, Search, Users } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useEffectEvent, useMemo, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FilterSelect, type FilterOption } from "@/components/ui/filter-select";
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useFormatters } from "@/lib/format";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { AdminListUsersParams, AdminUser } from "@/contracts/admin";
import { UserActions } from "./user-actions";
import { parseUserListParams, userListSearch } from "./user-list-params";
import { RelativeTime } from "@/components/ui/relative-time";

const ROLE_OPTIONS = [
  { value: "all", label: "All roles" },
  { value: "user", label: "Users" },
  { value: "admin", label: "Admins" },
];

const STATUS_OPTIONS = [
  { value: "all", label: "Any status" },
  { value: "active", label: "Active" },
  { value: "banned", label: "Banned" },
];

const SORTS: FilterOption[] = [
  { value: "createdAt:desc", label: "Newest first" },
  { value: "createdAt:asc", label: "Oldest first" },
  { value: "name:asc", label: "Name A–Z" },
  { value: "name:desc", label: "Name Z–A" },
  { value: "email:asc", label: "Email A–Z" },
  { value: "lastActive:desc", label: "Recently active" },
];

const SEARCH_DELAY_MS = 300;

function StatusCell({ user }: { user: AdminUser }) {
  const format = useFormatters();
  if (user.deletedAt) {
    return (
      <Badge variant="muted" title={`Erased on ${format.dateTime(user.deletedAt)}`}>
        Deleted
      </Badge>
    );
  }
  const pending = user.deletionScheduledFor ? (
    <Badge
      variant="warning"
      title={`Erased on ${format.dateTime(user.deletionScheduledFor)} unless they sign in`}
    >
      Deletion pending
      <span className="sr-only">, erased on {format.dateTime(user.deletionScheduledFor)}</span>
    </Badge>
  ) : null;
  if (!user.banned) {
    return (
      <div className="flex flex-wrap gap-1">
        {pending ?? <Badge variant="success">Active</Badge>}
      </div>
    );
  }
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap gap-1">
        <Badge variant="destructive">
          Banned{user.banExpires ? ` until ${format.date(user.banExpires)}` : ""}
        </Badge>
        {pending}
      </div>
      {user.banReason ? (
        <p className="max-w-56 truncate text-xs text-muted-foreground" title={user.banReason}>
          {user.banReason}
        </p>
      ) : null}
    </div>
  );
}

/** Every user: search, filters, sort and pages kept in the URL; actions per row. */
export function UsersView({
  currentUserId,
  deletionGraceDays,
}: {
  currentUserId: string;
  /** Days between a deletion being asked for and the account being erased. */
  deletionGraceDays: number;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const format = useFormatters();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const params = useMemo(
    () => parseUserListParams(Object.fromEntries(searchParams.entries())),
    [searchParams],
  );
  const [search, setSearch] = useState(params.search ?? "");
  const sortValue = `${params.sort}:${params.direction}`;

  const navigate = (next: Partial<AdminListUsersParams>) => {
    const merged = { ...params, page: 1, ...next };
    router.replace(`${pathname}${userListSearch(merged)}`, { scroll: false });
  };

  const applySearch = useEffectEvent((trimmed: string) =>
    navigate({ search: trimmed || undefined }),
  );

  // Typing settles before the URL (and the query) follows.
  useEffect(() => {
    const trimmed = search.trim();
    if (trimmed === (params.search ?? "")) return;
    const timer = setTimeout(() => applySearch(trimmed), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, params.search]);

  const list = useQuery({
    ...trpc.admin.users.list.queryOptions(params),
    placeholderData: keepPreviousData,
  });
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });

  const data = list.data;
  const first = data && data.total > 0 ? (data.page - 1) * data.pageSize + 1 : 0;
  const last = data ? Math.min(data.total, data.page * data.pageSize) : 0;
  const hasFilters = Boolean(params.search) || params.role !== "all" || params.status !== "all";

  return (
    <div className="space-y-4">
      <form
        role="search"
        aria-label="Filter users"
        className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))]"
        onSubmit={(event) => {
          event.preventDefault();
          navigate({ search: search.trim() || undefined });
        }}
      >
        <div className="space-y-1.5 sm:col-span-2 lg:col-span-1">
          <Label htmlFor="user-search">Search</Label>
          <div className="relative">
            <Search
              aria-hidden="true"
              className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground"
            />
            <Input
              id="user-search"
              type="search"
              placeholder="Name or email"
              className="pl-9"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </div>
        </div>
        <FilterSelect
          label="Role"
          options={ROLE_OPTIONS}
          value={params.role}
          onChange={(event) =>
            navigate({ role: event.target.value as AdminListUsersParams["role"] })
          }
        />
        <FilterSelect
          label="Status"
          options={STATUS_OPTIONS}
          value={params.status}
          onChange={(event) =>
            navigate({ status: event.target.value as AdminListUsersParams["status"] })
          }
        />
        <FilterSelect
          label="Sort by"
          options={
            SORTS.some((s) => s.value === sortValue)
              ? SORTS
              : [...SORTS, { value: sortValue, label: "Custom order" }]
          }
          value={sortValue}
          onChange={(event) => {
            const [sort, direction] = event.target.value.split(":") as [
              AdminListUsersParams["sort"],
              AdminListUsersParams["direction"],
            ];
            navigate({ sort, direction });
          }}
        />
      </form>

      {list.isError && !data ? (
        <ErrorState message={errorMessage(list.error)} onRetry={() => void list.refetch()} />
      ) : !data ? (
        <UsersTableSkeleton />
      ) : data.total === 0 ? (
        <EmptyState
          icon={<Users aria-hidden="true" />}
          title={hasFilters ? "No users match" : "No users yet"}
          description={hasFilters ? "Try another name, email or filter." : undefined}
          action={
            hasFilters ? (
              <Button
                variant="outline"
                onClick={() => {
                  setSearch("");
                  router.replace(pathname, { scroll: false });
                }}
              >
                Clear filters
              </Button>
            ) : undefined
          }
        />
      ) : (
        <div aria-busy={list.isFetching} className="space-y-3">
          <Table label="Users">
            <TableCaption className="sr-only">
              Users {first} to {last} of {data.total}
            </TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>User</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Joined</TableHead>
                <TableHead>Last active</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.items.map((user) => (
                <TableRow key={user.id} data-testid="user-row" data-email={user.email}>
                  <TableCell>
                    <div className="flex min-w-48 items-center gap-3">
                      <Avatar name={user.name} image={user.image} />
                      <div className="min-w-0">
                        <p className="truncate font-medium">
                          {user.name}
                          {user.id === currentUserId ? (
                            <span className="text-muted-foreground"> (you)</span>
                          ) : null}
                        </p>
                        <p className="truncate text-xs text-muted-foreground">{user.email}</p>
                      </div>
                    </div>
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap gap-1">
                      <Badge variant={user.role === "admin" ? "default" : "muted"}>
                        {user.role === "admin" ? "Admin" : "User"}
                      </Badge>
                      {user.twoFactorEnabled ? (
                        <Badge variant="outline">
                          <span aria-hidden="true">2FA</span>
                          <span className="sr-only">Two-factor authentication on</span>
                        </Badge>
                      ) : null}
                    </div>
                  </TableCell>
                  <TableCell>
                    <StatusCell user={user} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap">{format.date(user.createdAt)}</TableCell>
                  <TableCell className="whitespace-nowrap">
                    {user.lastActiveAt ? (
                      <RelativeTime value={user.lastActiveAt} />
                    ) : (
                      <span className="text-muted-foreground">No session</span>
                    )}
                  </TableCell>
                  <TableCell className="text-right">
                    <UserActions
                      user={user}
                      isSelf={user.id === currentUserId}
                      deletionGraceDays={deletionGraceDays}
                      onChanged={refresh}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <nav
            aria-label="Pages"
            className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground"
          >
            <p aria-live="polite">
              {format.number(first)}–{format.number(last)} of {format.number(data.total)}
            </p>
            <div className="flex gap-2">
              <Button
                variant="outline"
                size="sm"
                disabled={data.page <= 1}
                onClick={() => navigate({ page: data.page - 1 })}
              >
                <ChevronLeft aria-hidden="true" />
                Previous
              </Button>
              <Button
                variant="outline"
                size="sm"
                disabled={last >= data.total}
                onClick={() => navigate({ page: data.page + 1 })}
              >
                Next
                <ChevronRight aria-hidden="true" />
              </Button>
            </div>
          </nav>
        </div>
      )}
    </div>
  );
}

export function UsersTableSkeleton() {
  return (
    <div aria-hidden="true" className="space-y-3">
      <div className="overflow-hidden rounded-lg border border-border">
        <div className="h-10 bg-muted/60" />
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex h-[61px] items-center gap-3 border-t border-border px-4">
            <div className="size-8 animate-pulse rounded-full bg-muted motion-reduce:animate-none" />
            <div className="h-4 w-48 animate-pulse rounded bg-muted motion-reduce:animate-none" />
          </div>
        ))}
      </div>
      <div className="h-8" />
    </div>
  );
}
