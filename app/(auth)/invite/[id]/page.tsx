import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { InvalidLink } from "@/components/auth/invalid-link";
import { InvitationCard } from "@/components/workspaces/invitation-card";
import { isUuid } from "@/contracts/uuid";
import { getSession } from "@/server/rsc/session";
import { getCaller } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Join a workspace" };

/** Where an invitation mail leads, signed in or not. */
export default async function InvitationPage(props: { params: Promise<{ id: string }> }) {
  const { id } = await props.params;
  const preview = isUuid(id)
    ? await (
        await getCaller()
      ).workspaces
        .invitation({ invitationId: id })
        .catch((error: unknown) => {
          if (error instanceof TRPCError && error.code === "NOT_FOUND") return null;
          throw error;
        })
    : null;
  if (!preview) {
    return (
      <InvalidLink
        title="This invitation link does not work"
        description="Check that the whole link was copied, or ask the person who invited you to send a new one."
        action={{ href: "/sign-in", label: "Go to sign-in" }}
      />
    );
  }
  const session = await getSession();
  return (
    <InvitationCard
      invitationId={id}
      preview={preview}
      viewer={session ? { name: session.user.name, email: session.user.email } : null}
    />
  );
}
