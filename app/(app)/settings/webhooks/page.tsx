import type { Metadata } from "next";
import { CreateEndpointDialog } from "@/components/webhooks/create-endpoint-dialog";
import { WebhooksView } from "@/components/webhooks/webhooks-view";
import { PageHeader } from "@/components/ui/page-header";
import { requireSession } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  await requireSession("/settings/webhooks");
  prefetch(trpc.webhooks.list.queryOptions({ owner: "user" }));
  // Empty for anyone who does not manage the workspace's webhooks: the database decides.
  prefetch(trpc.webhooks.list.queryOptions({ owner: "workspace" }));
  return (
    <HydrateClient>
      <PageHeader
        title="Webhooks"
        description={
          <>
            Parley POSTs signed JSON to your endpoints when something happens in a chat. Verify each
            request with its signing secret and any{" "}
            <a
              href="https://www.standardwebhooks.com/"
              target="_blank"
              rel="noreferrer"
              className="text-primary-text underline underline-offset-4"
            >
              Standard Webhooks
            </a>{" "}
            library.
          </>
        }
        actions={<CreateEndpointDialog />}
      />
      <WebhooksView />
    </HydrateClient>
  );
}
