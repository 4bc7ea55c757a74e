import { relations } from "drizzle-orm";
import { index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { createdAt, id, timestamptz } from "./columns";

/**
 * Better Auth's organization plugin tables, under its own names; Parley calls an
 * organization a workspace. Members read their workspaces and fellow members; every write
 * goes through Better Auth on the owner connection (drizzle/0035_workspaces.sql).
 */
export const organization = pgTable("organization", {
  id: id(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  logo: text("logo"),
  metadata: text("metadata"),
  createdAt: createdAt(),
});

export const member = pgTable(
  "member",
  {
    id: id(),
    organizationId: uuid("organizationId")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: text("role").notNull().default("member"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("member_once").on(t.organizationId, t.userId),
    index("idx_member_user_id").on(t.userId),
  ],
);

export const invitation = pgTable(
  "invitation",
  {
    id: id(),
    organizationId: uuid("organizationId")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role").notNull().default("member"),
    status: text("status").notNull().default("pending"),
    expiresAt: timestamptz("expiresAt").notNull(),
    inviterId: uuid("inviterId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [index("idx_invitation_organization_id").on(t.organizationId)],
);

/** The relations Better Auth's organization plugin joins along, under the names it asks for. */
export const organizationRelations = relations(organization, ({ many }) => ({
  members: many(member),
  invitations: many(invitation),
}));
export const memberRelations = relations(member, ({ one }) => ({
  organization: one(organization, {
    fields: [member.organizationId],
    references: [organization.id],
  }),
  user: one(user, { fields: [member.userId], references: [user.id] }),
}));
export const invitationRelations = relations(invitation, ({ one }) => ({
  organization: one(organization, {
    fields: [invitation.organizationId],
    references: [organization.id],
  }),
}));

/**
 * Each workspace's roles and what they may do in its chats (`{"chat": [actions]}`), Better
 * Auth's dynamic access control table; made from templates with the workspace
 * (drizzle/0038_workspace_roles.sql) and read by the policies through has_permission().
 */
export const organizationRole = pgTable(
  "organization_role",
  {
    id: id(),
    organizationId: uuid("organizationId")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    permission: text("permission").notNull(),
    createdAt: createdAt(),
    updatedAt: timestamptz("updatedAt"),
  },
  (t) => [unique("organization_role_once").on(t.organizationId, t.role)],
);
