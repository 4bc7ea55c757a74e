import "server-only";

import { z } from "zod";
import {
  listPublicMetasInput,
  metaKeyInput,
  metaSchema,
  publicMetaSchema,
  setMetaInput,
} from "@/contracts/metas";
import { deleteMeta, getMeta, listMetas, listPublicMetas, setMeta } from "@/server/services/metas";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const metasRouter = createTRPCRouter({
  list: protectedProcedure
    .output(z.array(metaSchema))
    .query(({ ctx }) => listMetas(ctx.tx, { userId: ctx.user.id })),

  get: protectedProcedure
    .input(metaKeyInput)
    .output(metaSchema)
    .query(({ ctx, input }) => getMeta(ctx.tx, { userId: ctx.user.id, key: input.key })),

  set: protectedProcedure
    .input(setMetaInput)
    .output(metaSchema)
    .mutation(({ ctx, input }) => setMeta(ctx.tx, { userId: ctx.user.id, ...input })),

  delete: protectedProcedure
    .input(metaKeyInput)
    .output(z.object({ key: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await deleteMeta(ctx.tx, { userId: ctx.user.id, key: input.key });
      return { key: input.key };
    }),

  listPublic: protectedProcedure
    .input(listPublicMetasInput)
    .output(z.array(publicMetaSchema))
    .query(({ ctx, input }) => listPublicMetas(ctx.tx, { targetUserId: input.userId })),
});
