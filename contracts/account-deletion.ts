import { z } from "zod";
import { PASSWORD_MAX_LENGTH } from "./auth";

/**
 * What becomes of a deleted account's messages: kept, with "Deleted user" as their sender, or
 * blanked (each deleted as if by its sender).
 */
export const DELETED_MESSAGES_CHOICES = ["keep", "blank"] as const;
export type DeletedMessagesChoice = (typeof DELETED_MESSAGES_CHOICES)[number];

const messagesChoice = z.enum(DELETED_MESSAGES_CHOICES, {
  error: "Choose what happens to your messages",
});

/** Better Auth's endpoint (Parley's plugin) a signed-in person asks at. */
export const ACCOUNT_DELETION_PATH = "/account-deletion/request";

export const requestAccountDeletionInput = z.object({
  password: z
    .string({ error: "Enter your password" })
    .min(1, "Enter your password")
    .max(PASSWORD_MAX_LENGTH, "That is not your password"),
  messages: messagesChoice,
});
export type RequestAccountDeletionInput = z.infer<typeof requestAccountDeletionInput>;

export const adminRequestAccountDeletionInput = z.object({
  userId: z.uuid(),
  messages: messagesChoice,
});

/** When the account will be erased, unless its owner signs in first. */
export const accountDeletionScheduledSchema = z.object({ eraseAfter: z.coerce.date() });
export type AccountDeletionScheduled = z.infer<typeof accountDeletionScheduledSchema>;

export const accountDeletionCancelledSchema = z.object({ wasPending: z.boolean() });
