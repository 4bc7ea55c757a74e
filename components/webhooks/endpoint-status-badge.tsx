import { Badge } from "@/components/ui/badge";
import type { WebhookEndpoint } from "@/contracts/webhooks";
import { endpointStatus } from "./webhook-labels";

/** On, failing or off, with why underneath when there is a reason. */
export function EndpointStatusBadge({ endpoint }: { endpoint: WebhookEndpoint }) {
  const status = endpointStatus(endpoint);
  return (
    <div className="space-y-1" data-testid="webhook-endpoint-status">
      <Badge variant={status.variant}>{status.label}</Badge>
      {status.reason ? (
        <p className="max-w-56 text-xs break-words text-muted-foreground">{status.reason}</p>
      ) : null}
    </div>
  );
}
