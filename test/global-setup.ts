import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { openPostgres } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { env } from "@/server/env";
import { databaseUrl, maintenance } from "./server-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated template database on TEST_DATABASE_URL's server, or null on PGlite. */
    testTemplate: string | null;
  }
}

/**
 * With TEST_DATABASE_URL, migrate one template database per run; every test file then gets
 * `CREATE DATABASE … TEMPLATE` (a file copy, far faster than migrating again).
 */
export default async function setup(project: TestProject) {
  const baseUrl = env.TEST_DATABASE_URL;
  if (!baseUrl) {
    project.provide("testTemplate", null);
    return;
  }
  const template = `parley_tpl_${randomBytes(6).toString("hex")}`;
  await maintenance(baseUrl, `create database ${template}`);
  const handle = openPostgres(databaseUrl(baseUrl, template), { max: 1 });
  try {
    await migrateDatabase(handle);
  } finally {
    await handle.close();
  }
  project.provide("testTemplate", template);
  return async () => {
    await maintenance(baseUrl, `drop database if exists ${template} with (force)`);
  };
}
