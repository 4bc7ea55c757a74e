import type { Metadata } from "next";
import { Suspense } from "react";
import { ChangeEmailCard } from "@/components/settings/security/change-email-card";
import { ChangePasswordCard } from "@/components/settings/security/change-password-card";
import { EmailVerificationCard } from "@/components/settings/security/email-verification-card";
import { commonAuthenticatorNames } from "@better-auth/passkey";
import { PasskeyManager } from "@/components/settings/security/passkey-manager";
import { SessionsCard } from "@/components/settings/security/sessions-card";
import { SessionsSkeleton } from "@/components/settings/security/sessions-skeleton";
import { TwoFactorCard } from "@/components/settings/security/two-factor-card";
import { PageHeader } from "@/components/ui/page-header";
import { env } from "@/server/env";
import { requireSession } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Security" };

export default async function SecurityPage() {
  const { user } = await requireSession("/settings/security");
  prefetch(trpc.security.sessions.list.queryOptions());
  return (
    <HydrateClient>
      <PageHeader
        title="Security"
        description="How you sign in: your email address, password, second factor, passkeys and devices."
      />
      <div className="space-y-6">
        <EmailVerificationCard email={user.email} verified={user.emailVerified} />
        <ChangeEmailCard email={user.email} />
        <ChangePasswordCard />
        <TwoFactorCard enabled={user.twoFactorEnabled === true} />
        {/* The plugin's names of common authenticators are server code: passed, not bundled. */}
        <PasskeyManager limit={env.PASSKEYS_PER_USER} providers={commonAuthenticatorNames} />
        <Suspense fallback={<SessionsSkeleton />}>
          <SessionsCard />
        </Suspense>
      </div>
    </HydrateClient>
  );
}
