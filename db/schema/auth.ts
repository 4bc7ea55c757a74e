import { relations } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz, updatedAt } from "./columns";

/**
 * Better Auth's tables (core + admin plugin; two-factor and passkey below), with UUID ids so Supabase's `auth.uid()` and
 * JWT `sub` claims can be compared with them directly. RLS is enabled on all four; request
 * roles get no access to `session`, `account` or `verification`, and never to `user.email`.
 */
export const user = pgTable("user", {
  id: id(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("emailVerified").notNull().default(false),
  image: text("image"),
  role: text("role").notNull().default("user"),
  banned: boolean("banned").notNull().default(false),
  banReason: text("banReason"),
  banExpires: timestamptz("banExpires"),
  twoFactorEnabled: boolean("twoFactorEnabled").notNull().default(false),
  /** Set when the account was erased: the row stays as a "Deleted user" tombstone. */
  deletedAt: timestamptz("deletedAt"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const session = pgTable(
  "session",
  {
    id: id(),
    expiresAt: timestamptz("expiresAt").notNull(),
    token: text("token").notNull().unique(),
    ipAddress: text("ipAddress"),
    userAgent: text("userAgent"),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    impersonatedBy: uuid("impersonatedBy"),
    // References organization(id) (drizzle/0035_workspaces.sql); declared there to keep
    // this file free of a cycle with workspaces.ts.
    activeOrganizationId: uuid("activeOrganizationId"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("idx_session_user_id").on(t.userId)],
);

export const account = pgTable(
  "account",
  {
    id: id(),
    accountId: text("accountId").notNull(),
    providerId: text("providerId").notNull(),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("accessToken"),
    refreshToken: text("refreshToken"),
    idToken: text("idToken"),
    accessTokenExpiresAt: timestamptz("accessTokenExpiresAt"),
    refreshTokenExpiresAt: timestamptz("refreshTokenExpiresAt"),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("idx_account_user_id").on(t.userId)],
);

export const verification = pgTable(
  "verification",
  {
    id: id(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamptz("expiresAt").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("idx_verification_identifier").on(t.identifier)],
);

/** Two-factor plugin: one TOTP secret and encrypted backup codes per person (0046). */
export const twoFactor = pgTable(
  "two_factor",
  {
    id: id(),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    secret: text("secret").notNull(),
    backupCodes: text("backupCodes").notNull(),
    verified: boolean("verified").notNull().default(true),
    failedVerificationCount: integer("failedVerificationCount").notNull().default(0),
    lockedUntil: timestamptz("lockedUntil"),
  },
  (t) => [unique("two_factor_one_per_user").on(t.userId)],
);

/** Passkey plugin: a person's WebAuthn credentials (0047). */
export const passkey = pgTable(
  "passkey",
  {
    id: id(),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    name: text("name"),
    publicKey: text("publicKey").notNull(),
    credentialID: text("credentialID").notNull().unique("passkey_credential_once"),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    deviceType: text("deviceType").notNull(),
    backedUp: boolean("backedUp").notNull(),
    transports: text("transports"),
    aaguid: text("aaguid"),
    createdAt: createdAt(),
  },
  (t) => [index("idx_passkey_user_id").on(t.userId)],
);

/**
 * The relations Better Auth's joins follow, under the names it asks Drizzle for (a session's
 * and an account's `user`, a user's `accounts`): with them and `advanced.database.joins`, a
 * signed-in request reads its session and user in one statement instead of two.
 */
export const sessionRelations = relations(session, ({ one }) => ({
  user: one(user, { fields: [session.userId], references: [user.id] }),
}));
export const accountRelations = relations(account, ({ one }) => ({
  user: one(user, { fields: [account.userId], references: [user.id] }),
}));
export const userRelations = relations(user, ({ many }) => ({ accounts: many(account) }));
