import type { Metadata } from "next";
import Link from "next/link";
import { CreateKeyDialog } from "@/components/api-keys/create-key-dialog";
import { MyKeysView } from "@/components/api-keys/my-keys-view";
import { PageHeader } from "@/components/ui/page-header";
import { requireSession } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  await requireSession("/settings/api-keys");
  prefetch(trpc.apiKeys.list.queryOptions());
  return (
    <HydrateClient>
      <PageHeader
        title="API keys"
        description={
          <>
            Keys let your scripts call the{" "}
            <Link href="/docs/api" className="text-primary-text underline underline-offset-4">
              REST API
            </Link>{" "}
            as you. Each call is recorded in your audit log.
          </>
        }
        actions={<CreateKeyDialog />}
      />
      <MyKeysView />
    </HydrateClient>
  );
}
