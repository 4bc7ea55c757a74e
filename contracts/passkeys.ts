import { z } from "zod";

/** The longest name a passkey may have; the `passkey_name_length` constraint agrees. */
export const PASSKEY_NAME_MAX_LENGTH = 60;

export const PASSKEY_NAME_TOO_LONG = `Use at most ${PASSKEY_NAME_MAX_LENGTH} characters for a passkey's name`;

/** A passkey's name as the settings form and Parley's guard of Better Auth both read it. */
export const passkeyNameSchema = z
  .string()
  .trim()
  .min(1, "Give the passkey a name")
  .max(PASSKEY_NAME_MAX_LENGTH, PASSKEY_NAME_TOO_LONG);

export const passkeyNameInput = z.object({ name: passkeyNameSchema });
export type PasskeyNameInput = z.infer<typeof passkeyNameInput>;
