import { z } from "zod";

/**
 * The auth forms' rules, shared by the browser forms and Better Auth's configuration
 * (server/auth.ts), so both refuse the same passwords with the same words.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const NAME_MAX_LENGTH = 100;

export const emailSchema = z
  .string()
  .trim()
  .min(1, "Enter your email address")
  .pipe(z.email("Enter a valid email address"));

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`);

export const signInInput = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password"),
});
export type SignInInput = z.infer<typeof signInInput>;

export const signUpInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter your name")
    .max(NAME_MAX_LENGTH, `Use at most ${NAME_MAX_LENGTH} characters`),
  email: emailSchema,
  password: newPasswordSchema,
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const forgotPasswordInput = z.object({ email: emailSchema });
export type ForgotPasswordInput = z.infer<typeof forgotPasswordInput>;

const passwordsMatch = {
  check: (v: { newPassword: string; confirmPassword: string }) =>
    v.newPassword === v.confirmPassword,
  params: { message: "The passwords do not match", path: ["confirmPassword"] },
};

/** A new password typed twice; the second must match the first. */
export const resetPasswordInput = z
  .object({ newPassword: newPasswordSchema, confirmPassword: z.string() })
  .refine(passwordsMatch.check, passwordsMatch.params);
export type ResetPasswordInput = z.infer<typeof resetPasswordInput>;

export const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password"),
    newPassword: newPasswordSchema,
    confirmPassword: z.string(),
    revokeOtherSessions: z.boolean(),
  })
  .refine(passwordsMatch.check, passwordsMatch.params);
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

/** The six digits an authenticator app shows, spaces allowed as apps print them. */
export const totpCodeSchema = z
  .string()
  .transform((code) => code.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app"));

/** A backup code as Parley prints them ("abcde-12345"); case and the dash are kept. */
export const backupCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$/, "Enter one of your backup codes, like abcde-12345");

export const twoFactorSignInInput = z.discriminatedUnion("method", [
  z.object({ method: z.literal("totp"), code: totpCodeSchema, trustDevice: z.boolean() }),
  z.object({ method: z.literal("backup"), code: backupCodeSchema, trustDevice: z.boolean() }),
]);
export type TwoFactorSignInInput = z.input<typeof twoFactorSignInInput>;

/** Turning two-factor on or off, or making new backup codes, asks for the password. */
export const passwordConfirmInput = z.object({
  password: z.string().min(1, "Enter your password"),
});
export type PasswordConfirmInput = z.infer<typeof passwordConfirmInput>;

export const totpConfirmInput = z.object({ code: totpCodeSchema });
export type TotpConfirmInput = z.input<typeof totpConfirmInput>;

/**
 * Moving one's account to another address: the browser form and the server's guard on
 * Better Auth's `/change-email` (server/auth-email-change-rules.ts) read it alike.
 */
export const changeEmailInput = z.object({
  newEmail: emailSchema,
  password: z.string().min(1, "Enter your current password"),
});
export type ChangeEmailInput = z.infer<typeof changeEmailInput>;
