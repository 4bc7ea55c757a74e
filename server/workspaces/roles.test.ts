import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withRls } from "@/db/rls";
import { chats, member, session } from "@/db/schema";
import { useTestDatabase } from "@/test/database";
import { env } from "@/server/env";
import { authPost } from "@/test/auth-calls";
import { actorOf, callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();
const db = () => database.handle.db;

let olga: TestUser;
let ada: TestUser;
let max: TestUser;
let gus: TestUser;
let guild: string;

/** Puts `who` in the guild with `role`, and their sessions with it. */
async function join(who: TestUser, role: string): Promise<TestUser> {
  await db().insert(member).values({ organizationId: guild, userId: who.id, role });
  await db().update(session).set({ activeOrganizationId: guild }).where(eq(session.userId, who.id));
  return { ...who, organizationId: guild };
}

const setRole = (who: TestUser, roleName: string, chat: string[]) =>
  authPost(who, "/organization/update-role", {
    organizationId: guild,
    roleName,
    data: { permission: { chat } },
  });

const ALL = [
  "view",
  "create_group",
  "manage_group",
  "delete",
  "initiate_call",
  "join_rooms",
  "mention_all",
];

/** Whether a failed statement's error (or the driver error under it) says `text`. */
const violates = (text: string) => (error: unknown) => {
  const failure = error as { message?: string; cause?: { message?: string; constraint?: string } };
  return [failure.message, failure.cause?.message, failure.cause?.constraint].some((m) =>
    m?.includes(text),
  );
};

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: { code?: string }) => error.code,
  );

beforeAll(async () => {
  olga = await signUp("Olga", { workspace: "own" });
  const created = await authPost(olga, "/organization/create", {
    name: "Guild",
    slug: `guild-${Date.now().toString(36)}`,
  });
  guild = ((await created.json()) as { id: string }).id;
  olga = { ...olga, organizationId: guild };
  ada = await join(await signUp("Ada", { workspace: "own" }), "admin");
  max = await join(await signUp("Max", { workspace: "own" }), "member");
  gus = await join(await signUp("Gus", { workspace: "own" }), "guest");
});

describe("workspace roles as data", () => {
  it("start from the templates, and everyone in the workspace reads them", async () => {
    const roles = await (await callerFor(gus)).workspaces.roles();
    expect(roles.map((r) => [r.role, r.memberCount, r.permissions.length])).toEqual([
      ["owner", 1, 7],
      ["admin", 1, 7],
      ["member", 1, 7],
      ["guest", 1, 2],
    ]);
    expect(roles.find((r) => r.role === "guest")?.permissions).toEqual([
      "chat.view",
      "chat.initiate_call",
    ]);
    // What the app asks to show only what a role may do (the new-chat dialog's tabs).
    expect((await (await callerFor(gus)).workspaces.current()).permissions.sort()).toEqual([
      "chat.initiate_call",
      "chat.view",
    ]);
    expect((await (await callerFor(max)).workspaces.current()).permissions).toHaveLength(7);
  });

  it("decide what the policies allow: a group's owner manages it only while their role may", async () => {
    const asMax = await callerFor(max);
    const group = await asMax.chats.createGroup({ name: "Max's corner", memberIds: [gus.id] });
    expect(
      (
        await setRole(
          olga,
          "member",
          ALL.filter((a) => a !== "manage_group"),
        )
      ).status,
    ).toBe(200);
    try {
      expect(await codeOf(asMax.chats.update({ chatId: group.id, name: "Renamed" }))).toBe(
        "FORBIDDEN",
      );
      // The database says the same without the procedure's check.
      const renamed = await withRls(actorOf(max), (tx) =>
        tx
          .update(chats)
          .set({ name: "Renamed" })
          .where(eq(chats.id, group.id))
          .returning({ id: chats.id }),
      );
      expect(renamed).toEqual([]);
      expect((await asMax.chats.get({ chatId: group.id })).myPermissions).not.toContain(
        "chat.manage_group",
      );
    } finally {
      expect((await setRole(olga, "member", ALL)).status).toBe(200);
    }
    expect((await asMax.chats.update({ chatId: group.id, name: "Renamed" })).name).toBe("Renamed");
  });

  it("keep groups from roles without chat.create_group, by procedure or by function", async () => {
    const error = await (
      await callerFor(gus)
    ).chats
      .createGroup({ name: "Guests only", memberIds: [] })
      .then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
    expect(error?.code).toBe("FORBIDDEN");
    expect(error?.message).toBe(
      "Your role in this workspace cannot create groups (needs chat.create_group)",
    );
    await expect(
      withRls(actorOf(gus), (tx) =>
        tx.execute(sql`select public.create_group_chat('Guests only', null, '{}')`),
      ),
    ).rejects.toSatisfy(violates("needs chat.create_group"));
  });

  it("show guests the public rooms once their role may join rooms", async () => {
    await (
      await callerFor(max)
    ).chats.createGroup({
      name: "Town square",
      visibility: "public",
      memberIds: [],
    });
    const asGus = await callerFor(gus);
    expect((await asGus.chats.directory({})).items).toEqual([]);
    expect((await setRole(olga, "guest", ["view", "initiate_call", "join_rooms"])).status).toBe(
      200,
    );
    try {
      expect((await asGus.chats.directory({})).items.map((r) => r.name)).toEqual(["Town square"]);
    } finally {
      expect((await setRole(olga, "guest", ["view", "initiate_call"])).status).toBe(200);
    }
  });

  it("are changed by owners and admins, who give only the permissions they hold", async () => {
    expect((await setRole(max, "guest", ["view"])).status).toBe(403);
    expect(
      (
        await setRole(
          olga,
          "admin",
          ALL.filter((a) => a !== "join_rooms"),
        )
      ).status,
    ).toBe(200);
    try {
      expect((await setRole(ada, "guest", ["view", "join_rooms"])).status).toBe(403);
      expect((await setRole(ada, "guest", ["view"])).status).toBe(200);
    } finally {
      expect((await setRole(olga, "admin", ALL)).status).toBe(200);
      expect((await setRole(olga, "guest", ["view", "initiate_call"])).status).toBe(200);
    }
  });

  it("refuse, with a reason, what would leave a role broken or is no permission", async () => {
    const reasonOf = async (response: Response) =>
      [response.status, ((await response.json()) as { message: string }).message] as const;
    expect(await reasonOf(await setRole(olga, "owner", ["view"]))).toEqual([
      400,
      "The owner role has every permission",
    ]);
    expect(await reasonOf(await setRole(olga, "member", ["create_group"]))).toEqual([
      400,
      "Every role reads the chats it is in (chat.view)",
    ]);
    expect(await reasonOf(await setRole(olga, "member", ["view", "fly"]))).toEqual([
      400,
      "No such permission: chat.fly",
    ]);
    expect(
      (
        await authPost(olga, "/organization/update-role", {
          organizationId: guild,
          roleName: "member",
          data: { permission: { member: ["create"] } },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await authPost(olga, "/organization/create-role", {
          organizationId: guild,
          role: "moderator",
          permission: { chat: ["create_group"] },
        })
      ).status,
    ).toBe(400);
  });

  it("are checked by the database too, and written by no request", async () => {
    const set = (role: string, permission: string) =>
      db().execute(
        sql`update public.organization_role set permission = ${permission}
            where "organizationId" = ${guild}::uuid and role = ${role}`,
      );
    await expect(set("owner", '{"chat":["view"]}')).rejects.toSatisfy(
      violates("organization_role_permission"),
    );
    await expect(set("member", '{"chat":["view","fly"]}')).rejects.toSatisfy(
      violates("organization_role_permission"),
    );
    await expect(set("member", '{"chat":["create_group"]}')).rejects.toSatisfy(
      violates("organization_role_permission"),
    );
    await expect(set("member", "not json")).rejects.toSatisfy(
      violates("organization_role_permission"),
    );
    await expect(
      withRls(actorOf(olga), (tx) =>
        tx.execute(
          sql`update public.organization_role set permission = '{"chat":["view"]}'
              where "organizationId" = ${guild}::uuid and role = 'member'`,
        ),
      ),
    ).rejects.toSatisfy(violates("permission denied"));
    const [row] = await db()
      .select({ role: member.role })
      .from(member)
      .where(and(eq(member.organizationId, guild), eq(member.userId, olga.id)));
    expect(row?.role).toBe("owner");
  });

  it("include roles of the workspace's own: made from a template, held, and removed once nobody holds them", async () => {
    const made = await authPost(olga, "/organization/create-role", {
      organizationId: guild,
      role: "reviewer",
      permission: { chat: ["view", "join_rooms"] },
    });
    expect(made.status).toBe(200);
    const [maxMember] = await db()
      .select({ id: member.id })
      .from(member)
      .where(and(eq(member.organizationId, guild), eq(member.userId, max.id)));
    const assign = (role: string) =>
      authPost(olga, "/organization/update-member-role", {
        organizationId: guild,
        memberId: maxMember!.id,
        role,
      });
    expect((await assign("reviewer")).status).toBe(200);
    try {
      const asMax = await callerFor(max);
      expect((await asMax.workspaces.current()).permissions.sort()).toEqual([
        "chat.join_rooms",
        "chat.view",
      ]);
      expect(await codeOf(asMax.chats.createGroup({ name: "Nope", memberIds: [] }))).toBe(
        "FORBIDDEN",
      );
      const roles = await asMax.workspaces.roles();
      expect(roles.map((r) => r.role)).toEqual(["owner", "admin", "member", "guest", "reviewer"]);
      // Held, it stays; the database says the same.
      expect(
        (
          await authPost(olga, "/organization/delete-role", {
            organizationId: guild,
            roleName: "reviewer",
          })
        ).status,
      ).toBeGreaterThanOrEqual(400);
      await expect(
        db().execute(
          sql`delete from public.organization_role where "organizationId" = ${guild}::uuid and role = 'reviewer'`,
        ),
      ).rejects.toSatisfy(violates("Someone still has the reviewer role"));
    } finally {
      expect((await assign("member")).status).toBe(200);
    }
    expect(
      (
        await authPost(olga, "/organization/delete-role", {
          organizationId: guild,
          roleName: "reviewer",
        })
      ).status,
    ).toBe(200);
    // No one holds a role the workspace does not have, nor is invited to one.
    expect((await assign("reviewer")).status).toBeGreaterThanOrEqual(400);
    await expect(
      db().execute(
        sql`update public.member set role = 'reviewer' where id = ${maxMember!.id}::uuid`,
      ),
    ).rejects.toSatisfy(violates("No role"));
    // The templates are every workspace's.
    await expect(
      db().execute(
        sql`delete from public.organization_role where "organizationId" = ${guild}::uuid and role = 'guest'`,
      ),
    ).rejects.toSatisfy(violates("every workspace's"));
  });

  it(`refuse a role named like a template or badly, and more than WORKSPACE_CUSTOM_ROLES (${env.WORKSPACE_CUSTOM_ROLES})`, async () => {
    const create = (role: string) =>
      authPost(olga, "/organization/create-role", {
        organizationId: guild,
        role,
        permission: { chat: ["view"] },
      });
    expect((await create("guest")).status).toBe(400);
    expect((await create("Bad Name")).status).toBe(400);
    await db().execute(sql`
      insert into public.organization_role ("organizationId", role, permission)
      select ${guild}::uuid, 'filler-' || n, '{"chat":["view"]}'
      from generate_series(1, ${env.WORKSPACE_CUSTOM_ROLES}) n`);
    try {
      expect((await create("one-more")).status).toBe(400);
    } finally {
      await db().execute(
        sql`delete from public.organization_role where "organizationId" = ${guild}::uuid and role like 'filler-%'`,
      );
    }
    expect((await create("one-more")).status).toBe(200);
  });
});
