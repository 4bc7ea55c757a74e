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

/** "ok" when a database call succeeded, else the SQLSTATE it failed with (RLS matrices). */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    }
    throw error;
  }
}
