import { CustomFields } from "@/components/settings/preferences/custom-fields";
import { PreferencesForm } from "@/components/settings/preferences/preferences-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireSession } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata = { title: "Preferences" };

export default async function PreferencesPage() {
  await requireSession("/settings/preferences");
  prefetch(trpc.preferences.get.queryOptions());
  prefetch(trpc.metas.list.queryOptions());
  return (
    <HydrateClient>
      <PageHeader
        title="Preferences"
        description="How Parley looks, formats dates, notifies you and shares read receipts."
      />
      <div className="space-y-6">
        <PreferencesForm />
        <CustomFields />
      </div>
    </HydrateClient>
  );
}
