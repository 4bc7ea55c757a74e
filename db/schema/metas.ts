import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { META_DATA_TYPES } from "@/contracts/enums";
import { user } from "./auth";
import { createdAt, id, jsonb, updatedAt } from "./columns";

/** Per-user preferences, profile fields and flags: seed 004's metadata system. */
export const userMetas = pgTable(
  "user_metas",
  {
    id: id(),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    metaKey: text("metaKey").notNull(),
    metaValue: jsonb("metaValue").notNull(),
    dataType: text("dataType", { enum: META_DATA_TYPES }).notNull().default("text"),
    isPublic: boolean("isPublic").notNull().default(false),
    isSearchable: boolean("isSearchable").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("user_metas_userId_metaKey_unique").on(t.userId, t.metaKey),
    index("idx_user_metas_public")
      .on(t.userId)
      .where(sql`${t.isPublic}`),
    check("user_metas_metaKey_format", sql`${t.metaKey} ~ '^[a-zA-Z0-9_.:-]{1,100}$'`),
    check(
      "user_metas_dataType_matches_value",
      sql`(${t.dataType} = 'text' and jsonb_typeof(${t.metaValue}) = 'string')
        or (${t.dataType} = 'number' and jsonb_typeof(${t.metaValue}) = 'number')
        or (${t.dataType} = 'boolean' and jsonb_typeof(${t.metaValue}) = 'boolean')
        or (${t.dataType} = 'json' and jsonb_typeof(${t.metaValue}) in ('object', 'array'))`,
    ),
    check("user_metas_metaValue_size", sql`octet_length(${t.metaValue}::text) <= 65536`),
  ],
);
