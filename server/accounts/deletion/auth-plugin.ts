import "server-only";

import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, sessionMiddleware } from "better-auth/api";
import { deleteSessionCookie } from "better-auth/cookies";
import { ACCOUNT_DELETION_PATH, requestAccountDeletionInput } from "@/contracts/account-deletion";
import { withRls } from "@/db/rls";
import type { Database } from "@/db/types";
import { recordAuthAction } from "@/server/auth-audit";
import { AppError, HTTP_STATUS } from "@/server/errors";
import { requestAccountDeletion } from "@/server/services/account-deletions";
import { sendDeletionScheduledNotice } from "./notices";

interface AccountDeletionOptions {
  /** The owner connection, for the notice (the address is closed to requests). */
  db: Database;
  graceDays: number;
}

type Status = ConstructorParameters<typeof APIError>[0];

const STATUS_NAME: Record<number, Status> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
};

/**
 * "Delete my account" (`POST /api/auth/account-deletion/request`): a Better Auth endpoint, so
 * the password is checked the way sign-in checks it, the session cookie can be cleared, and the
 * rate limit is Better Auth's. The deletion itself is scheduled under RLS as the person; they
 * are signed out everywhere, audited, and mailed when it will happen and how to cancel it.
 */
export function accountDeletion({ db, graceDays }: AccountDeletionOptions) {
  return {
    id: "account-deletion",
    endpoints: {
      requestAccountDeletion: createAuthEndpoint(
        ACCOUNT_DELETION_PATH,
        { method: "POST", use: [sessionMiddleware] },
        async (ctx) => {
          const { user, session } = ctx.context.session;
          const impersonatedBy = (session as { impersonatedBy?: string | null }).impersonatedBy;
          const call = {
            path: ctx.path,
            headers: ctx.headers,
            context: { session: { user: { id: user.id }, session: { impersonatedBy } } },
          };
          const refuse = (status: number, message: string, code?: string): never => {
            recordAuthAction(call, status, {
              action: "account.deletion_requested",
              refused: message,
            });
            throw APIError.fromStatus(STATUS_NAME[status] ?? "BAD_REQUEST", {
              message,
              ...(code ? { code } : {}),
            });
          };
          const input = requestAccountDeletionInput.safeParse(ctx.body ?? {});
          if (!input.success) {
            return refuse(400, input.error.issues[0]?.message ?? "Invalid request");
          }
          const credential = await ctx.context.internalAdapter.findCredentialAccount(user.id);
          const rightPassword =
            !!credential?.password &&
            (await ctx.context.password.verify({
              hash: credential.password,
              password: input.data.password,
            }));
          if (!rightPassword) refuse(400, "Your password is not right", "INVALID_PASSWORD");

          let scheduled;
          try {
            scheduled = await withRls(user.id, (tx) =>
              requestAccountDeletion(tx, { messages: input.data.messages, graceDays }),
            );
          } catch (error) {
            if (error instanceof AppError && error.code !== "INTERNAL_SERVER_ERROR") {
              return refuse(HTTP_STATUS[error.code], error.message);
            }
            throw error;
          }
          recordAuthAction(call, 200, {
            action: "account.deletion_requested",
            messages: input.data.messages,
            eraseAfter: scheduled.eraseAfter.toISOString(),
          });
          deleteSessionCookie(ctx);
          await sendDeletionScheduledNotice(db, user.id);
          return ctx.json({ eraseAfter: scheduled.eraseAfter.toISOString() });
        },
      ),
    },
  } satisfies BetterAuthPlugin;
}
