import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { member, session } from "@/db/schema";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { activityText } from "@/lib/workspaces/activity-text";
import { useTestDatabase } from "@/test/database";
import { authPost } from "@/test/auth-calls";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();

/** A Better Auth call, with its status and answer. */
async function post(who: TestUser, path: string, body: unknown) {
  const response = await authPost(who, path, body);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function activityOf(who: TestUser) {
  await createAuditFlusher(database.handle.db).flush();
  const page = await (await callerFor(who)).workspaces.activity({});
  return page.items.map(activityText);
}

describe("workspace activity", () => {
  it("tells owners and admins who was invited, joined, changed role or was removed, and what roles may do", async () => {
    const olga = await signUp("Olga", { workspace: "own" });
    const created = await post(olga, "/organization/create", {
      name: "Atelier",
      slug: `atelier-${Date.now().toString(36)}`,
    });
    const workspaceId = created.body.id as string;
    const email = `pia-${Date.now()}@example.test`;
    const invited = await post(olga, "/organization/invite-member", {
      organizationId: workspaceId,
      email,
      role: "member",
    });
    const pia = await signUp("Pia", { workspace: "own", email });
    expect(
      (await post(pia, "/organization/accept-invitation", { invitationId: invited.body.id }))
        .status,
    ).toBe(200);
    const [piaMember] = await database.handle.db
      .select({ id: member.id })
      .from(member)
      .where(eq(member.userId, pia.id))
      .orderBy(member.createdAt);
    const memberships = await database.handle.db
      .select({ id: member.id, organizationId: member.organizationId })
      .from(member)
      .where(eq(member.userId, pia.id));
    const inAtelier = memberships.find((m) => m.organizationId === workspaceId)!;
    expect(piaMember).toBeDefined();
    // A refused call is no activity: Pia may not change roles.
    expect(
      (
        await post(pia, "/organization/update-member-role", {
          organizationId: workspaceId,
          memberId: inAtelier.id,
          role: "admin",
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await post(olga, "/organization/update-member-role", {
          organizationId: workspaceId,
          memberId: inAtelier.id,
          role: "guest",
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await post(olga, "/organization/update-role", {
          organizationId: workspaceId,
          roleName: "guest",
          data: { permission: { chat: ["view", "join_rooms"] } },
        })
      ).status,
    ).toBe(200);

    // Pia, a guest now, sees none of it.
    expect(await activityOf({ ...pia, organizationId: workspaceId })).toEqual([]);

    expect(
      (
        await post(olga, "/organization/remove-member", {
          organizationId: workspaceId,
          memberIdOrEmail: inAtelier.id,
        })
      ).status,
    ).toBe(200);
    expect(await activityOf(olga)).toEqual([
      "Olga removed Pia",
      "Olga changed what guests may do: chat.view, chat.join_rooms",
      "Olga made Pia guest",
      "Pia joined as member",
      `Olga invited ${email} as member`,
      "Olga created the workspace Atelier",
    ]);

    // Another workspace's owner, or Olga in another of hers, sees none of it.
    const tom = await signUp("Tom", { workspace: "own" });
    expect(await activityOf(tom)).toEqual([]);
    await database.handle.db
      .update(session)
      .set({ activeOrganizationId: olga.organizationId })
      .where(eq(session.userId, olga.id));
    expect(await activityOf(olga)).toEqual([]);
  });
});
