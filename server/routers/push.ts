import "server-only";

import {
  pushConfigSchema,
  pushDeviceIdInput,
  pushDevicesSchema,
  pushEndpointInput,
  pushResultSchema,
  pushSubscribeInput,
} from "@/contracts/push";
import { vapidKeys } from "@/server/notifications/vapid";
import {
  listPushDevices,
  removePushDevice,
  subscribePush,
  unsubscribePush,
} from "@/server/services/push-subscriptions";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const pushRouter = createTRPCRouter({
  config: protectedProcedure
    .output(pushConfigSchema)
    .query(() => ({ publicKey: vapidKeys()?.publicKey ?? null })),

  devices: protectedProcedure
    .output(pushDevicesSchema)
    .query(({ ctx }) => listPushDevices(ctx.tx, { userId: ctx.user.id })),

  subscribe: protectedProcedure
    .input(pushSubscribeInput)
    .output(pushResultSchema)
    .mutation(({ ctx, input }) =>
      subscribePush(ctx.tx, {
        userId: ctx.user.id,
        userAgent: ctx.headers.get("user-agent"),
        ...input,
      }),
    ),

  unsubscribe: protectedProcedure
    .input(pushEndpointInput)
    .output(pushResultSchema)
    .mutation(({ ctx, input }) => unsubscribePush(ctx.tx, { userId: ctx.user.id, ...input })),

  remove: protectedProcedure
    .input(pushDeviceIdInput)
    .output(pushResultSchema)
    .mutation(({ ctx, input }) => removePushDevice(ctx.tx, { userId: ctx.user.id, ...input })),
});
