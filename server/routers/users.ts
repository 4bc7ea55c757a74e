import "server-only";

import { z } from "zod";
import { searchUsersInput, userCardSchema } from "@/contracts/users";
import { searchUsers } from "@/server/services/users";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const usersRouter = createTRPCRouter({
  search: protectedProcedure
    .input(searchUsersInput)
    .output(z.array(userCardSchema))
    .query(({ ctx, input }) => searchUsers(ctx.tx, { userId: ctx.user.id, ...input })),
});
