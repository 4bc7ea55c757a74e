import { AvatarEditor } from "@/components/settings/profile/avatar-editor";
import { ProfileForm } from "@/components/settings/profile/profile-form";
import { StorageUsage } from "@/components/settings/profile/storage-usage";
import { PageHeader } from "@/components/ui/page-header";
import { requireSession } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata = { title: "Profile" };

export default async function ProfilePage() {
  const session = await requireSession("/settings/profile");
  prefetch(trpc.me.get.queryOptions());
  prefetch(trpc.me.storage.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title="Profile" description="How other people see you in Parley." />
      <div className="space-y-6">
        <AvatarEditor />
        <ProfileForm emailVerified={session.user.emailVerified} />
        <StorageUsage />
      </div>
    </HydrateClient>
  );
}
