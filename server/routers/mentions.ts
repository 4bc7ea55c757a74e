import "server-only";

import { listMentionsInput, mentionPageSchema } from "@/contracts/mentions";
import { listMentions } from "@/server/services/mentions";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const mentionsRouter = createTRPCRouter({
  list: protectedProcedure
    .input(listMentionsInput)
    .output(mentionPageSchema)
    .query(({ ctx, input }) => listMentions(ctx.tx, { userId: ctx.user.id, ...input })),
});
