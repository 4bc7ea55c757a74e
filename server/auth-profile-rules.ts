import "server-only";

import { APIError } from "better-auth/api";
import { signUpInput } from "@/contracts/auth";
import type { AuthCallContext } from "./auth-call";

/**
 * A person's name and picture change in one place, `me.update`, with its rules (a name of 1
 * to 100 characters, a picture that is an http(s) URL or their own uploaded avatar). Better
 * Auth's own `/update-user` would write them without those rules, so it is closed; sign-up
 * takes a name by the same rule.
 */
export function checkProfileWrite(ctx: AuthCallContext): void {
  if (ctx.path === "/update-user") {
    throw APIError.fromStatus("FORBIDDEN", {
      message: "Change your name and picture in Settings → Profile",
    });
  }
  if (ctx.path === "/sign-up/email") {
    const body = (ctx.body ?? {}) as { name?: unknown };
    const name = signUpInput.shape.name.safeParse(body.name);
    if (!name.success) {
      throw APIError.fromStatus("BAD_REQUEST", {
        message: name.error.issues[0]?.message ?? "Enter your name",
      });
    }
  }
}
