import "server-only";

import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { withRls } from "@/db/rls";
import { sessionActor } from "@/server/session-actor";
import { transformer } from "@/lib/trpc/transformer";
import { recordAudit } from "@/server/audit/buffer";
import { AppError, toTRPCError } from "@/server/errors";
import { env } from "@/server/env";
import { chargeCall, tooManyRequests, type Budget } from "@/server/limits/budgets";
import { refusalHold } from "@/server/limits/refusal-hold";
import { nestsDeeperThan } from "@/server/limits/input-depth";
import { logger } from "@/server/logger";
import type { TRPCContext } from "./context";

/** What a procedure declares about itself: the budget it spends (`server/limits/budgets.ts`). */
export interface ProcedureMeta {
  budget?: Budget;
}

const t = initTRPC
  .context<TRPCContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
        message:
          error.code === "INTERNAL_SERVER_ERROR" && env.isProduction
            ? "Internal server error"
            : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          // A stack trace only in development, where it helps; never in production or tests.
          ...(env.NODE_ENV === "development" ? { stack: shape.data.stack } : {}),
          zodIssues: cause instanceof ZodError ? cause.issues : null,
          details: cause instanceof AppError ? (cause.details ?? null) : null,
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Maps AppErrors and database errors to tRPC codes; logs what is really unexpected. */
const errorMapping = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const mapped = toTRPCError(result.error);
  if (mapped.code === "INTERNAL_SERVER_ERROR") {
    logger.error({ err: result.error.cause ?? result.error, path }, "tRPC procedure failed");
  } else if (mapped.code === "SERVICE_UNAVAILABLE") {
    logger.warn({ err: result.error.cause ?? result.error, path }, "database unavailable");
  }
  throw mapped;
});

/**
 * Server components render from Next's own bundle of Parley's modules, with its own audit
 * queue and domain-event listeners, which nothing flushes or relays: a mutation run there
 * would lose its audit row and its realtime events. Rendering reads; writes come over HTTP.
 */
const readOnlyWhileRendering = t.middleware(({ ctx, type, path, next }) => {
  if (ctx.rendering && type !== "query") {
    throw new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message: `${path} is a ${type}: a server component may only run queries`,
    });
  }
  return next();
});

/**
 * Calls over HTTP count against the rate limits before they run (and before any transaction
 * opens): per address, per user, mutations per user, and the procedure's own budget.
 */
const withinLimits = t.middleware(async ({ ctx, type, meta, next }) => {
  if (ctx.http) {
    const refused = await chargeCall({
      userId: ctx.session?.user.id ?? null,
      address: ctx.http.address,
      mutation: type === "mutation",
      budget: meta?.budget,
    });
    if (refused) {
      await refusalHold.pause(ctx.http.address);
      // `Retry-After` is set from the error's details (server/http/trpc.ts).
      throw tooManyRequests(refused);
    }
  }
  return next();
});

/**
 * Input nested deeper than `INPUT_MAX_DEPTH` is refused before validation, whose recursion a
 * value nested a few thousand deep would overflow.
 */
const boundedInput = t.middleware(async ({ getRawInput, next }) => {
  if (nestsDeeperThan(await getRawInput(), env.INPUT_MAX_DEPTH)) {
    throw new AppError(
      "BAD_REQUEST",
      `Input may nest at most ${env.INPUT_MAX_DEPTH} arrays and objects deep`,
    );
  }
  return next();
});

export const publicProcedure = t.procedure
  .use(errorMapping)
  .use(readOnlyWhileRendering)
  .use(withinLimits)
  .use(boundedInput);

/**
 * Signed-in callers only. The procedure runs inside `withRls` as the user, in the workspace
 * their session has selected, with the transaction
 * in `ctx.tx`. `next()` reports failure as `{ ok: false }` rather than throwing, so the
 * error is rethrown here, inside the transaction, to roll it back.
 */
const signedInWithRls = t.middleware(async ({ ctx, next }) => {
  const session = ctx.session;
  if (!session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  return withRls(sessionActor(session), async (tx) => {
    const result = await next({ ctx: { session, user: session.user, tx } });
    if (!result.ok) throw result.error;
    return result;
  });
});

/**
 * Signed in or not: as the session's user in its workspace, or as `anon` without one. For
 * what a mailed link shows before its reader has signed in.
 */
const visitorWithRls = t.middleware(async ({ ctx, next }) => {
  const session = ctx.session;
  return withRls(session ? sessionActor(session) : null, async (tx) => {
    const result = await next({ ctx: { tx } });
    if (!result.ok) throw result.error;
    return result;
  });
});

/** Site admins only (`user.role` includes `admin`); everyone else gets FORBIDDEN. */
const adminOnly = t.middleware(({ ctx, next }) => {
  const roles = (ctx.session?.user.role ?? "").split(",");
  if (!roles.includes("admin")) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Admins only" });
  }
  return next();
});

/**
 * Security-relevant mutations leave a row in the audit log (method TRPC, the procedure path
 * as endpoint), whether they succeed or fail. It runs outside the transaction, so the row
 * tells what really happened. The procedure may name whose trail it belongs to
 * (`ctx.audit.subjectUserId`, e.g. the owner of a key an admin revoked) and add details.
 */
const auditTrail = t.middleware(async ({ ctx, next, path }) => {
  const started = performance.now();
  const audit: AuditNote = {};
  const result = await next({ ctx: { audit } });
  const actorId = ctx.session?.user.id ?? null;
  recordAudit({
    apiKeyId: audit.apiKeyId ?? null,
    userId: audit.subjectUserId ?? actorId,
    actorId,
    endpoint: path,
    method: "TRPC",
    statusCode: result.ok ? 200 : getHTTPStatusCodeFromError(toTRPCError(result.error)),
    responseTime: Math.round(performance.now() - started),
    ipAddress: ctx.headers.get("x-forwarded-for"),
    userAgent: ctx.headers.get("user-agent"),
    details: audit.details ?? null,
  });
  return result;
});

export interface AuditNote {
  subjectUserId?: string;
  apiKeyId?: string;
  details?: Record<string, unknown>;
}

export const protectedProcedure = publicProcedure.use(signedInWithRls);
export const visitorProcedure = publicProcedure.use(visitorWithRls);
export const adminProcedure = protectedProcedure.use(adminOnly);
export const auditedProcedure = publicProcedure.use(auditTrail).use(signedInWithRls);
export const auditedAdminProcedure = auditedProcedure.use(adminOnly);
