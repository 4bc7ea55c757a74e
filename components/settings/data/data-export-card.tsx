"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormError } from "@/components/ui/form-error";
import { Progress } from "@/components/ui/progress";
import { toast } from "@/components/ui/toaster";
import type { DataExport } from "@/contracts/data-exports";
import { useFormatters, type Formatters } from "@/lib/format";
import { formatBytes } from "@/lib/format-bytes";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";

/** How often the page asks how far an export has come while one is being prepared. */
const POLL_MS = 2_000;

const inFlight = (status: DataExport["status"] | undefined) =>
  status === "queued" || status === "running";

function Status({ latest, format }: { latest: DataExport; format: Formatters }) {
  switch (latest.status) {
    case "queued":
    case "running":
      return (
        <div className="space-y-2">
          <p className="text-sm">
            {latest.status === "queued"
              ? "Your request is waiting its turn."
              : "Preparing your data…"}{" "}
            <span className="text-muted-foreground">{latest.progress}% done.</span>
          </p>
          <Progress value={latest.progress} label="Preparing your data" />
          <p className="text-sm text-muted-foreground">
            You can leave this page: we will email you when it is ready.
          </p>
        </div>
      );
    case "ready":
      return (
        <div className="flex flex-wrap items-center gap-4">
          <Button asChild>
            <a href={latest.downloadUrl ?? undefined} download>
              <Download aria-hidden="true" className="size-4" />
              Download my data
            </a>
          </Button>
          <p className="text-sm text-muted-foreground">
            ZIP archive{latest.size !== null ? `, ${formatBytes(format, latest.size)}` : ""}.
            Available until{" "}
            {latest.expiresAt ? (
              <time dateTime={latest.expiresAt.toISOString()}>
                {format.dateTime(latest.expiresAt)}
              </time>
            ) : null}
            .
          </p>
        </div>
      );
    case "expired":
      return (
        <p className="text-sm text-muted-foreground">
          Your last archive has expired and was deleted. Ask for a new one when you need it.
        </p>
      );
    case "failed":
      return (
        <FormError message="We could not prepare your data. Try again; if it keeps failing, contact an administrator." />
      );
  }
}

/**
 * "Download my data": ask for a copy, watch it being prepared, then download the archive.
 * The server decides when another request is allowed; the button only says so.
 */
export function DataExportCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const format = useFormatters();
  const { data } = useSuspenseQuery({
    ...trpc.dataExports.latest.queryOptions(),
    refetchInterval: (query) => (inFlight(query.state.data?.latest?.status) ? POLL_MS : false),
  });
  const request = useMutation(
    trpc.dataExports.request.mutationOptions({
      onSuccess: () => toast.success("We are preparing your data. We will email you a link."),
      onSettled: () =>
        queryClient.invalidateQueries({ queryKey: trpc.dataExports.latest.queryKey() }),
    }),
  );
  const { latest, nextRequestAt, ttlHours } = data;
  const busy = inFlight(latest?.status);
  const waiting = nextRequestAt !== null;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Download my data</CardTitle>
        <CardDescription>
          Get a copy of what Parley keeps about you: your profile, preferences and custom fields,
          sessions, API keys (never their secrets), your activity log, the messages you sent, your
          reactions and the files you uploaded. It comes as one ZIP archive with a readable page and
          machine-readable JSON, and can be downloaded for {ttlHours} hours.
        </CardDescription>
      </CardHeader>
      <div className="space-y-4">
        {/* Announced as it changes, so a screen reader hears the progress and the result. */}
        <div aria-live="polite">{latest ? <Status latest={latest} format={format} /> : null}</div>
        <FormError message={request.error ? errorMessage(request.error) : null} />
        {!busy ? (
          <div className="flex flex-wrap items-center gap-4">
            <Button
              variant={latest?.status === "ready" ? "outline" : "default"}
              disabled={request.isPending || waiting}
              onClick={() => request.mutate()}
            >
              {request.isPending ? "Requesting…" : "Ask for my data"}
            </Button>
            {waiting ? (
              <p className="text-sm text-muted-foreground">
                You can ask again from{" "}
                <time dateTime={nextRequestAt.toISOString()}>{format.dateTime(nextRequestAt)}</time>
                .
              </p>
            ) : null}
          </div>
        ) : null}
      </div>
    </Card>
  );
}
