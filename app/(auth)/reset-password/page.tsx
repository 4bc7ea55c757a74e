import type { Metadata } from "next";
import { ExpiredResetLink, ResetPasswordForm } from "@/components/auth/reset-password-form";

export const metadata: Metadata = { title: "Reset password" };

/**
 * Reached from the mailed link, after Better Auth checked the token: `?token=…` when it is
 * good, `?error=INVALID_TOKEN` when it is unknown, used or expired.
 */
export default async function ResetPasswordPage(props: {
  searchParams: Promise<{ token?: string | string[]; error?: string | string[] }>;
}) {
  const { token, error } = await props.searchParams;
  if (error !== undefined || typeof token !== "string" || token === "") {
    return <ExpiredResetLink />;
  }
  return <ResetPasswordForm token={token} />;
}
