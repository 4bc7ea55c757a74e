import { bigint, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { DEAD_LETTER_QUEUES } from "@/contracts/enums";
import { createdAt, jsonb } from "./columns";

/**
 * Work a queue could not do and will not try again (drizzle/0020_dead_letters.sql): written
 * on the owner connection, readable by site admins.
 */
export const deadLetters = pgTable(
  "dead_letters",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    queue: text("queue", { enum: DEAD_LETTER_QUEUES }).notNull(),
    payload: jsonb("payload").notNull(),
    error: text("error").notNull(),
    attempts: integer("attempts").notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [index("idx_dead_letters_created_at").on(t.createdAt)],
);
