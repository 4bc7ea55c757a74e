import { eq, sql } from "drizzle-orm";
import { jsonb as drizzleJsonb, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDrivers, createTestDatabase } from "@/test/database";
import type { DatabaseHandle } from "./client";
import { queryRows } from "./rows";
import { jsonb } from "./schema/columns";

/**
 * Parley's `jsonb` column gives back what was stored, on both drivers. drizzle-orm's own parses
 * a string value a second time; the second half of this file shows it still does, so the day
 * it stops, Parley's column can go.
 */
const VALUES: unknown[] = [
  "plain",
  "true",
  "123",
  "1e400",
  "null",
  '{"a":1}',
  "[1,2]",
  "",
  42,
  1e308,
  true,
  false,
  { nested: { list: [1, "2", null] } },
  [],
];

const parleys = pgTable("jsonb_probe", { key: text("key").primaryKey(), value: jsonb("value") });
const drizzles = pgTable("jsonb_probe", {
  key: text("key").primaryKey(),
  value: drizzleJsonb("value"),
});

describe.each(availableDrivers())("jsonb values on %s", (driver) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await database.db.execute(sql`create table jsonb_probe (key text primary key, value jsonb)`);
    await database.db.insert(parleys).values(VALUES.map((value, i) => ({ key: String(i), value })));
  });
  afterAll(() => database.close());

  it("come back exactly as they were written", async () => {
    for (const [i, value] of VALUES.entries()) {
      const [row] = await database.db
        .select()
        .from(parleys)
        .where(eq(parleys.key, String(i)));
      expect(row?.value, JSON.stringify(value)).toEqual(value);
    }
    const [stored] = await queryRows<{ type: string }>(
      database.db,
      sql`select jsonb_typeof(value) as type from jsonb_probe where key = '1'`,
    );
    expect(stored?.type).toBe("string");
  });

  it("are read back wrongly by drizzle-orm's own jsonb column", async () => {
    const [row] = await database.db.select().from(drizzles).where(eq(drizzles.key, "1"));
    expect(row?.value).toBe(true);
  });
});
