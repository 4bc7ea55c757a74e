import { TRPCError } from "@trpc/server";

/** The error code a call failed with (tRPC code, or a driver/AppError code); throws if it succeeded. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    if (error instanceof Error && "code" in error) return String(error.code);
    throw error;
  }
  throw new Error("expected the call to fail");
}
