import type { Metadata } from "next";
import { parseUserListParams } from "@/components/admin/user-list-params";
import { UsersView } from "@/components/admin/users-view";
import { PageHeader } from "@/components/ui/page-header";
import { env } from "@/server/env";
import { requireAdmin } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Users · Admin" };

export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireAdmin("/admin/users");
  prefetch(trpc.admin.users.list.queryOptions(parseUserListParams(await searchParams)));
  return (
    <HydrateClient>
      <PageHeader
        title="Users"
        description="Find people, change roles, ban, impersonate or delete accounts. Every action is audited."
      />
      <UsersView
        currentUserId={session.user.id}
        deletionGraceDays={env.ACCOUNT_DELETION_GRACE_DAYS}
      />
    </HydrateClient>
  );
}
