"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { META_DATA_TYPES } from "@/contracts/enums";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import { setMetaInput, type SetMetaInput } from "@/contracts/metas";
import { RESERVED_META_KEYS } from "@/contracts/preferences";
import { TRPCClientError } from "@trpc/client";
import { type MetaDraft, valueOf } from "./meta-value";
import { SwitchRow } from "@/components/ui/switch-row";

const TYPE_LABELS = { text: "Text", number: "Number", boolean: "Yes / no", json: "JSON" } as const;

type Errors = Partial<Record<"key" | "value" | "dataType" | "form", string>>;

/** Field errors from a zod issue list (the client's own parse, or the server's). */
function errorsFrom(issues: { path: PropertyKey[]; message: string }[]): Errors {
  const errors: Errors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    const name = field === "key" || field === "dataType" || field === "value" ? field : "form";
    errors[name] ??= issue.message;
  }
  return errors;
}

function serverErrors(error: unknown): Errors {
  const data = error instanceof TRPCClientError ? (error.data as unknown) : null;
  const issues =
    data && typeof data === "object" && "zodIssues" in data && Array.isArray(data.zodIssues)
      ? (data.zodIssues as { path: PropertyKey[]; message: string }[])
      : [];
  return issues.length ? errorsFrom(issues) : { form: errorMessage(error) };
}

/** Adds a custom field, or edits one (its key then stays). */
export function FieldDialog({
  open,
  onOpenChange,
  initial,
  editing,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  initial: MetaDraft;
  editing: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Errors>({});
  const set = useMutation(trpc.metas.set.mutationOptions());
  const change = (patch: Partial<MetaDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = valueOf(draft);
    if ("error" in value) {
      setErrors({ value: value.error });
      return;
    }
    const candidate = {
      key: draft.key.trim(),
      value: value.value,
      dataType: draft.dataType,
      isPublic: draft.isPublic,
      isSearchable: draft.isSearchable,
    };
    const parsed = setMetaInput.safeParse(candidate);
    if (!parsed.success) {
      setErrors(errorsFrom(parsed.error.issues));
      return;
    }
    if (!editing && RESERVED_META_KEYS.has(parsed.data.key)) {
      setErrors({ key: "This key holds a preference above; choose another" });
      return;
    }
    setErrors({});
    try {
      await set.mutateAsync(parsed.data satisfies SetMetaInput);
      await queryClient.invalidateQueries({ queryKey: trpc.metas.list.queryKey() });
      toast.success(editing ? `Saved “${parsed.data.key}”` : `Added “${parsed.data.key}”`);
      onOpenChange(false);
    } catch (error) {
      setErrors(serverErrors(error));
    }
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <form onSubmit={submit} noValidate className="space-y-4">
          <DialogHeader>
            <DialogTitle>{editing ? `Edit “${initial.key}”` : "Add a custom field"}</DialogTitle>
            <DialogDescription>
              Your own typed values. Public fields are visible to other signed-in people; searchable
              ones help people in your workspace find you, without showing the value.
            </DialogDescription>
          </DialogHeader>
          <Field
            label="Key"
            description="Letters, digits and _ . : - (at most 100)"
            error={errors.key}
          >
            {(control) => (
              <Input
                {...control}
                value={draft.key}
                readOnly={editing}
                autoComplete="off"
                onChange={(e) => change({ key: e.target.value })}
              />
            )}
          </Field>
          <Field label="Type" error={errors.dataType}>
            {(control) => (
              <NativeSelect
                {...control}
                value={draft.dataType}
                onChange={(e) => {
                  const dataType = META_DATA_TYPES.find((t) => t === e.target.value);
                  if (dataType) change({ dataType });
                  setErrors({});
                }}
              >
                {META_DATA_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {TYPE_LABELS[t]}
                  </option>
                ))}
              </NativeSelect>
            )}
          </Field>
          {draft.dataType === "boolean" ? (
            <SwitchRow
              label="Value"
              description={draft.boolean ? "Yes" : "No"}
              checked={draft.boolean}
              onCheckedChange={(on) => change({ boolean: on })}
            />
          ) : (
            <Field
              label="Value"
              error={errors.value}
              description={draft.dataType === "json" ? "An object {…} or an array […]" : undefined}
            >
              {(control) =>
                draft.dataType === "json" ? (
                  <Textarea
                    {...control}
                    rows={6}
                    className="font-mono text-sm"
                    value={draft.json}
                    onChange={(e) => change({ json: e.target.value })}
                  />
                ) : draft.dataType === "number" ? (
                  <Input
                    {...control}
                    inputMode="decimal"
                    value={draft.number}
                    onChange={(e) => change({ number: e.target.value })}
                  />
                ) : (
                  <Input
                    {...control}
                    value={draft.text}
                    onChange={(e) => change({ text: e.target.value })}
                  />
                )
              }
            </Field>
          )}
          <SwitchRow
            label="Public"
            description="Other signed-in people can read this field on your profile."
            checked={draft.isPublic}
            onCheckedChange={(on) => change({ isPublic: on })}
          />
          <SwitchRow
            label="Searchable"
            description="People in your workspace can find you by this value (text or a number). It stays hidden unless the field is public."
            checked={draft.isSearchable}
            onCheckedChange={(on) => change({ isSearchable: on })}
          />
          <FormError message={errors.form} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={set.isPending}>
              {set.isPending ? "Saving…" : editing ? "Save field" : "Add field"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
