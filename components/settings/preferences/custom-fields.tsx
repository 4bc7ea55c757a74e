"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { ListPlus, Pencil, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import { useTRPC } from "@/lib/trpc/react";
import type { Meta } from "@/contracts/metas";
import { RESERVED_META_KEYS } from "@/contracts/preferences";
import { FieldDialog } from "./field-dialog";
import { draftOf, EMPTY_DRAFT, previewOf } from "./meta-value";

const TYPE_LABELS = { text: "Text", number: "Number", boolean: "Yes / no", json: "JSON" } as const;

/** The user's own typed fields (every meta that is not a preference above). */
export function CustomFields() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: metas } = useSuspenseQuery(trpc.metas.list.queryOptions());
  const fields = metas.filter((m) => !RESERVED_META_KEYS.has(m.key));
  const [dialog, setDialog] = useState<{ meta: Meta | null; nonce: number } | null>(null);
  const remove = useMutation(trpc.metas.delete.mutationOptions());

  const addButton = (
    <Button onClick={() => setDialog({ meta: null, nonce: Date.now() })}>
      <Plus aria-hidden="true" />
      Add field
    </Button>
  );

  return (
    <Card>
      <CardHeader className="flex flex-wrap items-start justify-between gap-4 space-y-0">
        <div className="space-y-1">
          <CardTitle>Custom fields</CardTitle>
          <CardDescription>Typed values of your own: text, numbers, yes/no, JSON.</CardDescription>
        </div>
        {fields.length > 0 ? addButton : null}
      </CardHeader>
      {fields.length === 0 ? (
        <EmptyState
          icon={<ListPlus aria-hidden="true" />}
          title="No custom fields yet"
          description="Add a field such as your team, time zone or pronouns, and choose who can see it."
          action={addButton}
        />
      ) : (
        <Table label="Custom fields">
          <TableHeader>
            <TableRow>
              <TableHead>Key</TableHead>
              <TableHead>Type</TableHead>
              <TableHead>Value</TableHead>
              <TableHead>Visibility</TableHead>
              <TableHead>Search</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {fields.map((meta) => (
              <TableRow key={meta.id}>
                <TableCell className="font-mono text-sm">{meta.key}</TableCell>
                <TableCell>{TYPE_LABELS[meta.dataType]}</TableCell>
                <TableCell className="max-w-64 truncate font-mono text-sm" title={previewOf(meta)}>
                  {previewOf(meta)}
                </TableCell>
                <TableCell>
                  <Badge variant={meta.isPublic ? "success" : "muted"}>
                    {meta.isPublic ? "Public" : "Private"}
                  </Badge>
                </TableCell>
                <TableCell>
                  <Badge variant={meta.isSearchable ? "default" : "muted"}>
                    {meta.isSearchable ? "Searchable" : "Hidden"}
                  </Badge>
                </TableCell>
                <TableCell className="text-right whitespace-nowrap">
                  <Button
                    variant="ghost"
                    size="icon"
                    aria-label={`Edit ${meta.key}`}
                    onClick={() => setDialog({ meta, nonce: Date.now() })}
                  >
                    <Pencil aria-hidden="true" />
                  </Button>
                  <ConfirmDialog
                    trigger={
                      <Button variant="ghost" size="icon" aria-label={`Delete ${meta.key}`}>
                        <Trash2 aria-hidden="true" />
                      </Button>
                    }
                    title={`Delete “${meta.key}”?`}
                    description="The field and its value are removed for good."
                    confirmLabel="Delete field"
                    pendingLabel="Deleting…"
                    onConfirm={async () => {
                      await remove.mutateAsync({ key: meta.key });
                      await queryClient.invalidateQueries({ queryKey: trpc.metas.list.queryKey() });
                      toast.success(`Deleted “${meta.key}”`);
                    }}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {dialog ? (
        <FieldDialog
          key={dialog.nonce}
          open
          onOpenChange={(open) => {
            if (!open) setDialog(null);
          }}
          initial={dialog.meta ? draftOf(dialog.meta) : EMPTY_DRAFT}
          editing={dialog.meta !== null}
        />
      ) : null}
    </Card>
  );
}
