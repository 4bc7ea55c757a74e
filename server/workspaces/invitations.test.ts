import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import { env } from "@/server/env";
import { findDevMail, listDevMail } from "@/server/mail/dev-mailbox";
import { useTestDatabase } from "@/test/database";
import { authPost, createWorkspaceAs } from "@/test/auth-calls";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();

async function invite(who: TestUser, organizationId: string, email: string, role = "member") {
  const response = await authPost(who, "/organization/invite-member", {
    organizationId,
    email,
    role,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

async function mailTo(email: string) {
  const summary = (await listDevMail()).find((m) => m.to === email);
  return summary ? findDevMail(summary.id) : null;
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: { code?: string }) => error.code,
  );

describe("workspace invitations", () => {
  it("mail a link that says, even signed out, which workspace it is for and who invited", async () => {
    const olga = await signUp("Olga", { workspace: "own" });
    const workspaceId = await createWorkspaceAs(olga, "Harbour");
    const email = `newcomer-${Date.now()}@example.test`;
    const invitationId = await invite(olga, workspaceId, email);

    const mail = await mailTo(email);
    expect(mail?.subject).toBe("Olga invited you to Harbour on Parley");
    expect(mail?.text).toContain(`${env.appUrl}/invite/${invitationId}`);

    const preview = await (await callerFor(null)).workspaces.invitation({ invitationId });
    expect(preview).toMatchObject({
      workspaceName: "Harbour",
      inviterName: "Olga",
      email,
      role: "member",
      status: "pending",
    });
    // An id that names no invitation tells nothing.
    expect(
      await codeOf(
        (await callerFor(null)).workspaces.invitation({
          invitationId: "00000000-0000-4000-8000-000000000000",
        }),
      ),
    ).toBe("NOT_FOUND");
  });

  it("let the invited address, once it has an account, join: the workspace opens and lists its people", async () => {
    const olga = await signUp("Olga", { workspace: "own" });
    const workspaceId = await createWorkspaceAs(olga, "Lighthouse");
    const email = `pim-${Date.now()}@example.test`;
    const invitationId = await invite(olga, workspaceId, email, "guest");

    // Someone else signed in cannot take it.
    const mallory = await signUp("Mallory", { workspace: "own" });
    expect(
      (await authPost(mallory, "/organization/accept-invitation", { invitationId })).status,
    ).toBe(403);

    const pim = await signUp("Pim", { workspace: "own", email });
    expect((await authPost(pim, "/organization/accept-invitation", { invitationId })).status).toBe(
      200,
    );
    const asPim = await callerFor(pim);
    const current = await asPim.workspaces.current();
    expect(current).toMatchObject({ id: workspaceId, name: "Lighthouse", role: "guest" });
    expect((await asPim.workspaces.list()).map((w) => [w.name, w.current])).toEqual(
      expect.arrayContaining([
        ["Lighthouse", true],
        ["Pim's workspace", false],
      ]),
    );
    expect((await asPim.workspaces.members()).map((m) => [m.name, m.role])).toEqual([
      ["Olga", "owner"],
      ["Pim", "guest"],
    ]);
    // Used once: the link now says so, and cannot be used again.
    expect((await (await callerFor(null)).workspaces.invitation({ invitationId })).status).toBe(
      "accepted",
    );
    expect((await authPost(pim, "/organization/accept-invitation", { invitationId })).status).toBe(
      400,
    );
  });

  it("show pending invitations to owners and admins only, and a revoked one says so", async () => {
    const olga = await signUp("Olga", { workspace: "own" });
    const workspaceId = await createWorkspaceAs(olga, "Quay");
    const invitationId = await invite(olga, workspaceId, `quinn-${Date.now()}@example.test`);
    const asOlga = await callerFor(olga);
    expect((await asOlga.workspaces.invitations()).map((i) => i.id)).toEqual([invitationId]);

    const memberEmail = `rae-${Date.now()}@example.test`;
    const raeInvitation = await invite(olga, workspaceId, memberEmail);
    const rae = await signUp("Rae", { workspace: "own", email: memberEmail });
    expect(
      (await authPost(rae, "/organization/accept-invitation", { invitationId: raeInvitation }))
        .status,
    ).toBe(200);
    expect(await (await callerFor(rae)).workspaces.invitations()).toEqual([]);

    expect((await authPost(olga, "/organization/cancel-invitation", { invitationId })).status).toBe(
      200,
    );
    expect(await asOlga.workspaces.invitations()).toEqual([]);
    expect((await (await callerFor(null)).workspaces.invitation({ invitationId })).status).toBe(
      "canceled",
    );
  });

  it("call an invitation past its time expired, whatever its row still says", async () => {
    const olga = await signUp("Olga", { workspace: "own" });
    const workspaceId = await createWorkspaceAs(olga, "Pier");
    const invitationId = await invite(olga, workspaceId, `sol-${Date.now()}@example.test`);
    await database.handle.db.execute(
      sql`update public.invitation set "expiresAt" = now() - interval '1 minute' where id = ${invitationId}::uuid`,
    );
    expect((await (await callerFor(null)).workspaces.invitation({ invitationId })).status).toBe(
      "expired",
    );
    expect(await (await callerFor(olga)).workspaces.invitations()).toEqual([]);
  });

  it("list no member of a workspace the request is not in", async () => {
    const olga = await signUp("Olga", { workspace: "own" });
    await createWorkspaceAs(olga, "Dock");
    const tom = await signUp("Tom", { workspace: "own" });
    const names = (await (await callerFor(tom)).workspaces.members()).map((m) => m.name);
    expect(names).toEqual(["Tom"]);
    const [seen] = await queryRows<{ n: number }>(
      database.handle.db,
      sql`select count(*)::int as n from public.member where "userId" = ${olga.id}::uuid`,
    );
    expect(seen!.n).toBe(2);
  });

  it(`last INVITATION_TTL_HOURS (${env.INVITATION_TTL_HOURS}), and stop at WORKSPACE_PENDING_INVITATIONS (${env.WORKSPACE_PENDING_INVITATIONS}) waiting`, async () => {
    const olga = await signUp("Olga", { workspace: "own" });
    const workspaceId = await createWorkspaceAs(olga, "Wharf");
    const before = Date.now();
    const invitationId = await invite(olga, workspaceId, `uma-${Date.now()}@example.test`);
    const preview = await (await callerFor(null)).workspaces.invitation({ invitationId });
    const lasts = preview.expiresAt.getTime() - before;
    expect(lasts).toBeGreaterThan(env.INVITATION_TTL_HOURS * 3_600_000 - 60_000);
    expect(lasts).toBeLessThan(env.INVITATION_TTL_HOURS * 3_600_000 + 60_000);

    // The rest of the allowance, waiting already; one more is refused with a reason.
    await database.handle.db.execute(sql`
      insert into public.invitation ("organizationId", email, role, status, "expiresAt", "inviterId")
      select ${workspaceId}::uuid, 'waiting-' || n || '@example.test', 'member', 'pending',
             now() + interval '1 day', ${olga.id}::uuid
      from generate_series(2, ${env.WORKSPACE_PENDING_INVITATIONS}) n`);
    const refused = await authPost(olga, "/organization/invite-member", {
      organizationId: workspaceId,
      email: `one-too-many-${Date.now()}@example.test`,
      role: "member",
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/invitation limit/i);
  });

  it(`take no one past WORKSPACE_MEMBER_LIMIT (${env.WORKSPACE_MEMBER_LIMIT}) members`, async () => {
    const olga = await signUp("Olga", { workspace: "own" });
    const workspaceId = await createWorkspaceAs(olga, "Crowd");
    const email = `last-${Date.now()}@example.test`;
    const invitationId = await invite(olga, workspaceId, email);
    // Fill the workspace to its limit with accounts made in the database.
    await database.handle.db.execute(sql`
      with made as (
        insert into public."user" (name, email)
        select 'Crowd ' || n, 'crowd-' || n || '-' || ${workspaceId}::text || '@example.test'
        from generate_series(2, ${env.WORKSPACE_MEMBER_LIMIT}) n
        returning id
      )
      insert into public.member ("organizationId", "userId", role)
      select ${workspaceId}::uuid, id, 'member' from made`);
    const late = await signUp("Late", { workspace: "own", email });
    const refused = await authPost(late, "/organization/accept-invitation", { invitationId });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/membership limit/i);
  });
});
