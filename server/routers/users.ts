import "server-only";

import { z } from "zod";
import { profileSchema, searchUsersInput, userCardSchema, userIdInput } from "@/contracts/users";
import { getProfile, searchUsers } from "@/server/services/users";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const usersRouter = createTRPCRouter({
  search: protectedProcedure
    .input(searchUsersInput)
    .output(z.array(userCardSchema))
    .query(({ ctx, input }) => searchUsers(ctx.tx, { userId: ctx.user.id, ...input })),

  profile: protectedProcedure
    .input(userIdInput)
    .output(profileSchema)
    .query(({ ctx, input }) =>
      getProfile(ctx.tx, { userId: ctx.user.id, profileId: input.userId }),
    ),
});
