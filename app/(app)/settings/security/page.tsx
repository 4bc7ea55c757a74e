import type { Metadata } from "next";
import { Suspense } from "react";
import { ChangePasswordCard } from "@/components/settings/security/change-password-card";
import { EmailVerificationCard } from "@/components/settings/security/email-verification-card";
import { SessionsCard } from "@/components/settings/security/sessions-card";
import { SessionsSkeleton } from "@/components/settings/security/sessions-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { requireSession } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Security" };

export default async function SecurityPage() {
  const { user } = await requireSession("/settings/security");
  prefetch(trpc.security.sessions.list.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title="Security" description="Your password, email address and devices." />
      <div className="space-y-6">
        <EmailVerificationCard email={user.email} verified={user.emailVerified} />
        <ChangePasswordCard />
        <Suspense fallback={<SessionsSkeleton />}>
          <SessionsCard />
        </Suspense>
      </div>
    </HydrateClient>
  );
}
