"use client";

import { Timestamp } from "@/components/api-keys/timestamp";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { WebhookEndpoint } from "@/contracts/webhooks";
import { DeleteEndpointButton } from "./delete-endpoint-button";
import { DeliveriesDialog } from "./deliveries-dialog";
import { EditEndpointDialog } from "./edit-endpoint-dialog";
import { EndpointStatusBadge } from "./endpoint-status-badge";
import { RotateSecretDialog } from "./rotate-secret-dialog";
import { SendTestButton } from "./send-test-button";
import { EVENT_LABELS } from "./webhook-labels";

/** Endpoints as a table, each row with its log, test, edit, rotation and deletion. */
export function EndpointTable({
  endpoints,
  caption,
}: {
  endpoints: WebhookEndpoint[];
  caption: string;
}) {
  return (
    // Positioned, so the screen-reader-only words of the row actions stay inside the frame
    // that scrolls rather than widening the page on a phone.
    <Table label={caption}>
      <TableCaption>{caption}</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Endpoint</TableHead>
          <TableHead>Events</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Last delivery</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {endpoints.map((endpoint) => (
          <TableRow
            key={endpoint.id}
            data-testid="webhook-endpoint-row"
            data-endpoint-id={endpoint.id}
          >
            <TableCell className="max-w-64 min-w-40">
              <span className="block font-mono text-xs break-all">{endpoint.url}</span>
              {endpoint.description ? (
                <span className="block text-xs break-words text-muted-foreground">
                  {endpoint.description}
                </span>
              ) : null}
            </TableCell>
            <TableCell>
              <ul className="flex max-w-56 flex-wrap gap-1" aria-label="Events">
                {endpoint.eventTypes.map((type) => (
                  <li key={type}>
                    <Badge variant="outline" title={type}>
                      {EVENT_LABELS[type]}
                    </Badge>
                  </li>
                ))}
              </ul>
            </TableCell>
            <TableCell>
              <EndpointStatusBadge endpoint={endpoint} />
            </TableCell>
            <TableCell className="text-xs">
              {/* Both in one column: the table keeps its room for the address. */}
              <dl className="space-y-0.5">
                <div className="flex gap-1" data-testid="webhook-last-success">
                  <dt className="text-muted-foreground">Success:</dt>
                  <dd>
                    <Timestamp value={endpoint.lastSuccessAt} />
                  </dd>
                </div>
                <div className="flex gap-1" data-testid="webhook-last-failure">
                  <dt className="text-muted-foreground">Failure:</dt>
                  <dd>
                    <Timestamp value={endpoint.lastFailureAt} />
                  </dd>
                </div>
              </dl>
            </TableCell>
            <TableCell>
              <div className="flex justify-end gap-1">
                <DeliveriesDialog endpoint={endpoint} />
                <SendTestButton endpoint={endpoint} compact />
                <EditEndpointDialog endpoint={endpoint} />
                <RotateSecretDialog endpoint={endpoint} />
                <DeleteEndpointButton endpoint={endpoint} />
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
