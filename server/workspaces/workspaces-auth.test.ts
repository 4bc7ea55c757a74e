import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { member, organization, session, user } from "@/db/schema";
import { getAuth } from "@/server/auth";
import { env } from "@/server/env";
import { useTestDatabase } from "@/test/database";
import { authPost } from "@/test/auth-calls";
import { signInAgain, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();
const db = () => database.handle.db;

const auth = () => getAuth().api;

const createWorkspace = (who: TestUser, body: Record<string, unknown>) =>
  authPost(who, "/organization/create", body);

async function activeWorkspaceOf(who: TestUser): Promise<string | null> {
  const current = await auth().getSession({ headers: who.headers });
  return current?.session.activeOrganizationId ?? null;
}

async function personalWorkspaceOf(who: TestUser): Promise<string> {
  const [row] = await db()
    .select({ id: member.organizationId })
    .from(member)
    .where(eq(member.userId, who.id))
    .orderBy(member.createdAt)
    .limit(1);
  return row!.id;
}

describe("workspaces through Better Auth's organization plugin", () => {
  it("starts a new account's session in the workspace of its own", async () => {
    const ann = await signUp("Ann", { workspace: "own" });
    expect(await activeWorkspaceOf(ann)).toBe(await personalWorkspaceOf(ann));
  });

  it("creates a workspace owned by its creator and selects it; a new session starts where the last one was", async () => {
    const ben = await signUp("Ben", { workspace: "own" });
    const response = await createWorkspace(ben, { name: "Design studio", slug: "design-studio" });
    expect(response.status).toBe(200);
    const created = (await response.json()) as { id: string };
    expect(await activeWorkspaceOf(ben)).toBe(created.id);
    const [owner] = await db()
      .select({ role: member.role })
      .from(member)
      .where(eq(member.organizationId, created.id));
    expect(owner).toEqual({ role: "owner" });

    // On another device, Ben starts in the workspace he used last.
    const phone = await signInAgain(ben);
    expect(await activeWorkspaceOf(phone)).toBe(created.id);

    // Back in his own, then on a third device: his own.
    const select = await authPost(phone, "/organization/set-active", {
      organizationId: await personalWorkspaceOf(ben),
    });
    expect(select.status).toBe(200);
    await db()
      .update(session)
      .set({ updatedAt: sql`now() + interval '1 minute'` })
      .where(eq(session.activeOrganizationId, await personalWorkspaceOf(ben)));
    const laptop = await signInAgain(ben);
    expect(await activeWorkspaceOf(laptop)).toBe(await personalWorkspaceOf(ben));
  });

  it("moves the sessions of someone who leaves a workspace, or is removed from it, to another of theirs", async () => {
    const ida = await signUp("Ida", { workspace: "own" });
    const jon = await signUp("Jon", { workspace: "own" });
    const made = await createWorkspace(ida, { name: "Studio", slug: "studio-leaving" });
    const studio = ((await made.json()) as { id: string }).id;
    for (const who of [jon]) {
      const invited = await authPost(ida, "/organization/invite-member", {
        email: who.email,
        role: "member",
        organizationId: studio,
      });
      const { id } = (await invited.json()) as { id: string };
      expect(
        (await authPost(who, "/organization/accept-invitation", { invitationId: id })).status,
      ).toBe(200);
    }
    const jonsPhone = await signInAgain(jon);
    expect(await activeWorkspaceOf(jon)).toBe(studio);
    expect(await activeWorkspaceOf(jonsPhone)).toBe(studio);

    // Removed by the owner: both of Jon's sessions are back in his own workspace.
    const removed = await authPost(ida, "/organization/remove-member", {
      memberIdOrEmail: jon.email,
      organizationId: studio,
    });
    expect(removed.status).toBe(200);
    expect(await activeWorkspaceOf(jon)).toBe(await personalWorkspaceOf(jon));
    expect(await activeWorkspaceOf(jonsPhone)).toBe(await personalWorkspaceOf(jon));

    // Leaving: Better Auth clears the session's workspace; the session goes to the next one.
    const rejoin = await authPost(ida, "/organization/invite-member", {
      email: jon.email,
      role: "member",
      organizationId: studio,
    });
    const { id: again } = (await rejoin.json()) as { id: string };
    expect(
      (await authPost(jon, "/organization/accept-invitation", { invitationId: again })).status,
    ).toBe(200);
    expect(await activeWorkspaceOf(jon)).toBe(studio);
    expect((await authPost(jon, "/organization/leave", { organizationId: studio })).status).toBe(
      200,
    );
    expect(await activeWorkspaceOf(jon)).toBe(await personalWorkspaceOf(jon));
  });

  it("refuses to select a workspace one is not a member of", async () => {
    const cat = await signUp("Cat", { workspace: "own" });
    const dan = await signUp("Dan", { workspace: "own" });
    const response = await authPost(cat, "/organization/set-active", {
      organizationId: await personalWorkspaceOf(dan),
    });
    expect(response.status).toBe(403);
    // Nor none, nor one by a malformed id: the session stays where it was.
    expect((await authPost(cat, "/organization/set-active", { organizationId: null })).status).toBe(
      400,
    );
    expect((await authPost(cat, "/organization/set-active", { organizationId: "x" })).status).toBe(
      400,
    );
    expect(await activeWorkspaceOf(cat)).toBe(await personalWorkspaceOf(cat));
  });

  it.each([
    ["an empty name", { name: "  ", slug: "empty-name" }, /Enter a name/],
    ["a long name", { name: "x".repeat(81), slug: "long-name" }, /at most 80/],
    ["an address with capitals", { name: "Caps", slug: "Caps" }, /lower-case/],
    ["an address ending in a hyphen", { name: "Edge", slug: "edge-" }, /lower-case/],
    ["a logo", { name: "Logo", slug: "logo-ws", logo: "https://t.example/p.png" }, /no logo/],
    ["metadata", { name: "Meta", slug: "meta-ws", metadata: { plan: "pro" } }, /no metadata/],
  ])("refuses a workspace with %s with a 400 and keeps nothing", async (_label, body, reason) => {
    const eve = await signUp("Eve", { workspace: "own" });
    const response = await createWorkspace(eve, body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(reason);
    const names = await db().select({ name: organization.name }).from(organization);
    expect(names.map((n) => n.name)).not.toContain(body.name);
  });

  it("refuses a name change to a bad value, and takes a good one", async () => {
    const fay = await signUp("Fay", { workspace: "own" });
    const organizationId = await personalWorkspaceOf(fay);
    const update = (data: Record<string, unknown>) =>
      authPost(fay, "/organization/update", { organizationId, data });
    expect((await update({ name: "" })).status).toBe(400);
    expect((await update({ slug: "No Spaces" })).status).toBe(400);
    expect((await update({ name: "Fay & friends" })).status).toBe(200);
    const [row] = await db()
      .select({ name: organization.name })
      .from(organization)
      .where(eq(organization.id, organizationId));
    expect(row).toEqual({ name: "Fay & friends" });
  });

  it(`refuses to make a workspace past WORKSPACES_PER_USER (${env.WORKSPACES_PER_USER}) with a 403`, async () => {
    const gus = await signUp("Gus", { workspace: "own" });
    // Gus's own workspace counts.
    for (let i = 1; i < env.WORKSPACES_PER_USER; i++) {
      const made = await createWorkspace(gus, { name: `Gus ${i}`, slug: `gus-limit-${i}` });
      expect(made.status).toBe(200);
    }
    const over = await createWorkspace(gus, { name: "One too many", slug: "gus-limit-over" });
    expect(over.status).toBe(403);
    const [count] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(member)
      .where(eq(member.userId, gus.id));
    expect(count!.n).toBe(env.WORKSPACES_PER_USER);
  });

  it("never deletes a workspace", async () => {
    const hal = await signUp("Hal", { workspace: "own" });
    const organizationId = await personalWorkspaceOf(hal);
    const response = await authPost(hal, "/organization/delete", { organizationId });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const rows = await db().select().from(organization).where(eq(organization.id, organizationId));
    expect(rows).toHaveLength(1);
  });

  it("leaves no account without a workspace", async () => {
    const [row] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(user)
      .where(sql`not exists (select 1 from public.member m where m."userId" = ${user.id})`);
    expect(row!.n).toBe(0);
  });
});
