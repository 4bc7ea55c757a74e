import { randomBytes } from "node:crypto";
import { inArray } from "drizzle-orm";
import { getDb, type Database } from "@/db/client";
import { member, organization, session } from "@/db/schema";

/**
 * A workspace `userIds` share (as members, the first its owner), made on the owner
 * connection as Better Auth would; every session of theirs is moved into it.
 */
export async function shareWorkspace(
  userIds: readonly string[],
  name = "Team",
  db: Database = getDb(),
): Promise<string> {
  const [created] = await db
    .insert(organization)
    .values({ name, slug: `team-${randomBytes(6).toString("hex")}` })
    .returning({ id: organization.id });
  const organizationId = created!.id;
  await joinWorkspace(organizationId, userIds, db, userIds[0]);
  return organizationId;
}

/** Adds `userIds` to a workspace as members (`owner` as its owner) and moves their sessions there. */
export async function joinWorkspace(
  organizationId: string,
  userIds: readonly string[],
  db: Database = getDb(),
  owner?: string,
): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insert(member)
    .values(
      userIds.map((userId) => ({
        organizationId,
        userId,
        role: userId === owner ? "owner" : "member",
      })),
    )
    .onConflictDoNothing();
  await db
    .update(session)
    .set({ activeOrganizationId: organizationId })
    .where(inArray(session.userId, [...userIds]));
}
