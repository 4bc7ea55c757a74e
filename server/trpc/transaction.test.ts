import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import { member, userMetas } from "@/db/schema";
import { AppError } from "@/server/errors";
import { setMeta } from "@/server/services/metas";
import { useTestDatabase } from "@/test/database";
import { signUp, type TestUser } from "@/test/users";
import { createTRPCContext } from "./context";
import { createCallerFactory, createTRPCRouter, protectedProcedure } from "./init";
import { appRouter } from "./root";

const createCaller = createCallerFactory(appRouter);

/**
 * A tRPC middleware's `next()` reports failure as `{ ok: false }` instead of throwing. If the
 * RLS middleware returned that result, the transaction would commit the procedure's partial
 * writes. These procedures write, then fail in each way a procedure can.
 */
const failures = {
  appError: () => new AppError("CONFLICT", "conflict after write"),
  trpcError: () => new TRPCError({ code: "FORBIDDEN", message: "forbidden after write" }),
  plainError: () => new Error("crash after write"),
};

const testRouter = createTRPCRouter({
  writeThenFail: protectedProcedure
    .input(
      z.object({
        key: z.string(),
        failWith: z.enum(["appError", "trpcError", "plainError", "none"]),
      }),
    )
    .output(z.object({ ok: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await setMeta(ctx.tx, { userId: ctx.user.id, key: input.key, value: "written" });
      if (input.failWith !== "none") throw failures[input.failWith]();
      return { ok: true };
    }),
  tenant: protectedProcedure
    .output(z.object({ tenant: z.string().nullable() }))
    .query(async ({ ctx }) => {
      const [row] = await queryRows<{ tenant: string | null }>(
        ctx.tx,
        sql`select public.get_current_tenant_id() as tenant`,
      );
      return { tenant: row?.tenant ?? null };
    }),
  writeThenReturnBadOutput: protectedProcedure
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      await setMeta(ctx.tx, { userId: ctx.user.id, key: "bad-output", value: "written" });
      return { ok: false } as unknown as { ok: true };
    }),
});

const database = useTestDatabase();

describe("protectedProcedure transactions", () => {
  let alice: TestUser;
  beforeAll(async () => {
    alice = await signUp("Alice", { workspace: "own" });
  });

  const caller = async () =>
    createCallerFactory(testRouter)(await createTRPCContext({ headers: alice.headers }));
  const stored = async (key: string) =>
    database.handle.db.select().from(userMetas).where(eq(userMetas.metaKey, key));

  it("runs in the workspace the session has selected", async () => {
    const [own] = await database.handle.db
      .select({ id: member.organizationId })
      .from(member)
      .where(eq(member.userId, alice.id));
    expect(await (await caller()).tenant()).toEqual({ tenant: own!.id });
  });

  it("commits the writes of a procedure that succeeds", async () => {
    await (await caller()).writeThenFail({ key: "kept", failWith: "none" });
    expect(await stored("kept")).toHaveLength(1);
  });

  it.each([
    ["an AppError", "appError", "CONFLICT"],
    ["a TRPCError", "trpcError", "FORBIDDEN"],
    ["an unexpected error", "plainError", "INTERNAL_SERVER_ERROR"],
  ] as const)("rolls back when the procedure throws %s", async (_label, failWith, code) => {
    const key = `rolled-back-${failWith}`;
    await expect((await caller()).writeThenFail({ key, failWith })).rejects.toMatchObject({ code });
    expect(await stored(key)).toEqual([]);
  });

  it("rolls back when the output fails its contract", async () => {
    await expect((await caller()).writeThenReturnBadOutput()).rejects.toMatchObject({
      code: "INTERNAL_SERVER_ERROR",
    });
    expect(await stored("bad-output")).toEqual([]);
  });
});

describe("calls made while a server component renders", () => {
  let alice: TestUser;
  const stored = async (key: string) =>
    database.handle.db.select().from(userMetas).where(eq(userMetas.metaKey, key));
  beforeAll(async () => {
    alice = await signUp("Alice");
  });

  it("run queries and refuse mutations before they write", async () => {
    const rendering = await createTRPCContext({ headers: alice.headers, rendering: true });
    const caller = createCaller(rendering);
    await expect(caller.metas.list()).resolves.toEqual([]);
    await expect(caller.metas.set({ key: "theme", value: "dark" })).rejects.toMatchObject({
      code: "INTERNAL_SERVER_ERROR",
    });
    expect(await stored("theme")).toEqual([]);
    const requesting = createCaller(await createTRPCContext({ headers: alice.headers }));
    await requesting.metas.set({ key: "theme", value: "dark" });
    expect(await stored("theme")).toHaveLength(1);
  });
});
