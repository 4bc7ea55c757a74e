"use client";

import { useQuery } from "@tanstack/react-query";
import { Check } from "lucide-react";
import { useDeferredValue, useId, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useTRPC } from "@/lib/trpc/react";
import { cn } from "@/lib/utils";
import type { UserCard } from "@/contracts/users";

/** Finds people by name; `selected` marks the ones already picked. */
export function UserPicker({
  myId,
  selected,
  onPick,
  label = "Find people",
}: {
  myId: string;
  selected: ReadonlySet<string>;
  onPick: (user: UserCard) => void;
  label?: string;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const { data, isFetching, isError } = useQuery(
    trpc.users.search.queryOptions(
      { query: deferred, limit: 10 },
      { enabled: deferred.length > 0, staleTime: 10_000 },
    ),
  );
  const people = (data ?? []).filter((u) => u.id !== myId);
  return (
    <div className="space-y-2">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        type="search"
        autoComplete="off"
        placeholder="Name or profile field"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <div aria-live="polite" className="min-h-6 text-sm text-muted-foreground">
        {deferred.length === 0
          ? null
          : isError
            ? "Search failed. Try again."
            : isFetching && !data
              ? "Searching…"
              : people.length === 0
                ? "Nobody found."
                : null}
      </div>
      {people.length > 0 && deferred.length > 0 ? (
        <ul className="max-h-60 space-y-1 overflow-y-auto">
          {people.map((person) => {
            const picked = selected.has(person.id);
            return (
              <li key={person.id}>
                <button
                  type="button"
                  aria-pressed={picked}
                  onClick={() => onPick(person)}
                  className={cn(
                    "flex w-full items-center gap-3 rounded-md px-2 py-2 text-left text-sm hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring",
                    picked && "bg-primary-soft",
                  )}
                >
                  <Avatar name={person.name} image={person.image} />
                  <span className="flex-1 truncate">{person.name}</span>
                  {picked ? (
                    <Check aria-hidden="true" className="size-4 text-primary-text" />
                  ) : null}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
