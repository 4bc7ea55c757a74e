import "server-only";

import {
  callHistoryInput,
  callHistorySchema,
  callIdInput,
  callSchema,
  callStatusSchema,
  chatCallInput,
  heartbeatInput,
  iceServersSchema,
  myCallsSchema,
  startCallInput,
} from "@/contracts/calls";
import { iceServersFor } from "@/server/calls/ice-servers";
import {
  callHeartbeat,
  callHistory,
  chatCall,
  declineCall,
  getCall,
  joinCall,
  leaveCall,
  myCalls,
  startCall,
} from "@/server/services/calls";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const callsRouter = createTRPCRouter({
  start: protectedProcedure
    .input(startCallInput)
    .output(callSchema)
    .mutation(({ ctx, input }) => startCall(ctx.tx, { userId: ctx.user.id, ...input })),

  join: protectedProcedure
    .input(callIdInput)
    .output(callSchema)
    .mutation(({ ctx, input }) => joinCall(ctx.tx, { userId: ctx.user.id, ...input })),

  decline: protectedProcedure
    .input(callIdInput)
    .output(callStatusSchema)
    .mutation(({ ctx, input }) => declineCall(ctx.tx, { userId: ctx.user.id, ...input })),

  leave: protectedProcedure
    .input(callIdInput)
    .output(callStatusSchema)
    .mutation(({ ctx, input }) => leaveCall(ctx.tx, { userId: ctx.user.id, ...input })),

  heartbeat: protectedProcedure
    .input(heartbeatInput)
    .output(callStatusSchema)
    .mutation(({ ctx, input }) => callHeartbeat(ctx.tx, { userId: ctx.user.id, ...input })),

  get: protectedProcedure
    .input(callIdInput)
    .output(callSchema)
    .query(({ ctx, input }) => getCall(ctx.tx, { userId: ctx.user.id, ...input })),

  inChat: protectedProcedure
    .input(chatCallInput)
    .output(callSchema.nullable())
    .query(({ ctx, input }) => chatCall(ctx.tx, { userId: ctx.user.id, ...input })),

  mine: protectedProcedure
    .output(myCallsSchema)
    .query(({ ctx }) => myCalls(ctx.tx, { userId: ctx.user.id })),

  history: protectedProcedure
    .input(callHistoryInput)
    .output(callHistorySchema)
    .query(({ ctx, input }) => callHistory(ctx.tx, { userId: ctx.user.id, ...input })),

  iceServers: protectedProcedure
    .output(iceServersSchema)
    .query(({ ctx }) => iceServersFor(ctx.user.id)),
});
