"use client";

import { Filter, X } from "lucide-react";
import { useState, type FormEvent } from "react";
import { maskedKey } from "@/components/api-keys/key-status";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { FilterSelect } from "@/components/ui/filter-select";
import { STATUS_CLASSES } from "@/contracts/audit";
import { dayBoundary, type AuditScope, type AuditSearch } from "./audit-search";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRPC"] as const;

const STATUS_OPTIONS = [
  { value: "", label: "Any status" },
  ...STATUS_CLASSES.map((status) => ({ value: status, label: status })),
];

const METHOD_OPTIONS = [
  { value: "", label: "Any method" },
  ...METHODS.map((method) => ({
    value: method,
    label: method === "TRPC" ? "App actions (TRPC)" : method,
  })),
];

export interface KeyOption {
  id: string;
  name: string;
  prefix: string;
}

/**
 * The audit filters as a form; applying it hands the new filters up (they go into the URL).
 * Mounted afresh for each URL, so the back button also resets what the fields show.
 */
export function AuditFilterBar({
  scope,
  search,
  keys,
  onApply,
}: {
  scope: AuditScope;
  search: AuditSearch;
  keys?: KeyOption[];
  onApply: (search: AuditSearch) => void;
}) {
  const [rangeError, setRangeError] = useState<string | undefined>();
  const active = Object.values(search).some(Boolean);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = data.get(name);
      return typeof value === "string" && value.trim() ? value.trim() : undefined;
    };
    const fromDay = text("from");
    const toDay = text("to");
    if (fromDay && toDay && fromDay > toDay) {
      setRangeError("The start date must be on or before the end date");
      return;
    }
    setRangeError(undefined);
    const status = text("status");
    onApply({
      key: scope === "user" ? text("key") : search.key,
      status: STATUS_CLASSES.find((s) => s === status),
      method: text("method"),
      endpoint: text("endpoint"),
      from: fromDay ? dayBoundary(fromDay, "start") : undefined,
      to: toDay ? dayBoundary(toDay, "end") : undefined,
      user: scope === "admin" ? text("user") : undefined,
    });
  }

  return (
    <form
      role="search"
      aria-label="Filter the audit log"
      onSubmit={submit}
      className="mb-4 rounded-lg border border-border bg-card p-4"
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {scope === "admin" ? (
          <Field label="User" className="lg:col-span-2">
            {(control) => (
              <Input
                {...control}
                name="user"
                type="search"
                placeholder="Name or email"
                maxLength={100}
                defaultValue={search.user ?? ""}
              />
            )}
          </Field>
        ) : (
          <FilterSelect
            label="API key"
            name="key"
            defaultValue={search.key ?? ""}
            options={[
              { value: "", label: "All keys and the app" },
              ...(keys ?? []).map((key) => ({
                value: key.id,
                label: `${key.name} (${maskedKey(key.prefix)})`,
              })),
            ]}
          />
        )}
        <FilterSelect
          label="Status"
          name="status"
          defaultValue={search.status ?? ""}
          options={STATUS_OPTIONS}
        />
        <FilterSelect
          label="Method"
          name="method"
          defaultValue={search.method ?? ""}
          options={METHOD_OPTIONS}
        />
        <Field label="Endpoint contains">
          {(control) => (
            <Input
              {...control}
              name="endpoint"
              type="search"
              placeholder="/api/v1/me"
              maxLength={200}
              defaultValue={search.endpoint ?? ""}
            />
          )}
        </Field>
        <Field label="From" error={rangeError}>
          {(control) => (
            <Input {...control} name="from" type="date" defaultValue={search.from?.slice(0, 10)} />
          )}
        </Field>
        <Field label="To">
          {(control) => (
            <Input {...control} name="to" type="date" defaultValue={search.to?.slice(0, 10)} />
          )}
        </Field>
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-2">
        <Button type="submit" size="sm">
          <Filter aria-hidden="true" />
          Apply filters
        </Button>
        {active ? (
          <Button type="button" variant="ghost" size="sm" onClick={() => onApply({})}>
            <X aria-hidden="true" />
            Clear filters
          </Button>
        ) : null}
      </div>
    </form>
  );
}
