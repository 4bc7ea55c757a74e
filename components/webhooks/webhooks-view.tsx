"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Webhook } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { useTRPC } from "@/lib/trpc/react";
import { MAX_WEBHOOK_ENDPOINTS } from "@/contracts/webhooks";
import { EndpointTable } from "./endpoint-table";
import { useManagedWorkspace } from "./use-workspace-manager";

/** The viewer's own endpoints and, for its owners and admins, the workspace's. */
export function WebhooksView() {
  const trpc = useTRPC();
  const workspace = useManagedWorkspace();
  const { data: mine } = useSuspenseQuery(trpc.webhooks.list.queryOptions({ owner: "user" }));
  const { data: shared } = useSuspenseQuery(
    trpc.webhooks.list.queryOptions({ owner: "workspace" }),
  );
  const showWorkspace = workspace !== null || shared.length > 0;

  return (
    <div className="space-y-8">
      <section aria-labelledby="webhooks-mine" className="space-y-3">
        <SectionHeading
          id="webhooks-mine"
          title="Your endpoints"
          description={`Events from the chats you are in. At most ${MAX_WEBHOOK_ENDPOINTS}.`}
        />
        {mine.length > 0 ? (
          <EndpointTable endpoints={mine} caption="Your webhook endpoints" />
        ) : (
          <EmptyState
            icon={<Webhook aria-hidden="true" />}
            title="No endpoints yet"
            description="Add an endpoint to have Parley tell another service when messages, members or reactions change in your chats."
          />
        )}
      </section>
      {showWorkspace ? (
        <section aria-labelledby="webhooks-workspace" className="space-y-3">
          <SectionHeading
            id="webhooks-workspace"
            title={workspace ? `${workspace.name}'s endpoints` : "Workspace endpoints"}
            description={`Events from the workspace's public rooms, shared by its owners and admins. At most ${MAX_WEBHOOK_ENDPOINTS}.`}
          />
          {shared.length > 0 ? (
            <EndpointTable endpoints={shared} caption="The workspace's webhook endpoints" />
          ) : (
            <EmptyState
              icon={<Webhook aria-hidden="true" />}
              title="No workspace endpoints"
              description="Choose “This workspace” when adding an endpoint to share it with the workspace's other owners and admins."
            />
          )}
        </section>
      ) : null}
    </div>
  );
}

function SectionHeading({
  id,
  title,
  description,
}: {
  id: string;
  title: string;
  description: string;
}) {
  return (
    <div className="space-y-1">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      <p className="text-sm text-muted-foreground">{description}</p>
    </div>
  );
}
