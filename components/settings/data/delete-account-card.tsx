"use client";

import { useId, useState } from "react";
import {
  authErrorMessage,
  rememberRetryAfter,
  type AuthFailure,
} from "@/components/auth/auth-errors";
import { PasswordField } from "@/components/auth/password-field";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import {
  ACCOUNT_DELETION_PATH,
  accountDeletionScheduledSchema,
  requestAccountDeletionInput,
  type DeletedMessagesChoice,
} from "@/contracts/account-deletion";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import { useHydrated } from "@/lib/hooks/use-hydrated";

const passwordInput = requestAccountDeletionInput.pick({ password: true });

/** "after 30 days", or "within minutes" where the grace period is off. */
export function erasedWhen(graceDays: number): string {
  if (graceDays === 0) return "within minutes";
  return `after ${graceDays} ${graceDays === 1 ? "day" : "days"}`;
}

/**
 * What becomes of the messages of an account being deleted, asked of its owner ("my") or of
 * an admin deleting someone else's ("their").
 */
export function DeletedMessagesChoiceField({
  whose,
  value,
  onChange,
  disabled,
}: {
  whose: "my" | "their";
  value: DeletedMessagesChoice;
  onChange: (value: DeletedMessagesChoice) => void;
  disabled?: boolean;
}) {
  const id = useId();
  const options: { value: DeletedMessagesChoice; label: string; description: string }[] = [
    {
      value: "keep",
      label: `Keep ${whose} messages, without ${whose} name`,
      description: 'Conversations stay whole; "Deleted user" shows as the sender.',
    },
    {
      value: "blank",
      label: `Blank ${whose} messages`,
      description: "Each one shows as deleted, as if deleted by its sender.",
    },
  ];
  return (
    <fieldset className="space-y-2" disabled={disabled}>
      <legend className="mb-2 text-sm font-medium text-foreground">
        {whose === "my" ? "Your messages" : "Their messages"}
      </legend>
      {options.map((option) => {
        const inputId = `${id}-${option.value}`;
        return (
          <div key={option.value} className="flex items-start gap-3">
            <input
              id={inputId}
              type="radio"
              name={`${id}-messages`}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              aria-describedby={`${inputId}-description`}
              className="mt-0.5 size-4 shrink-0 accent-primary disabled:opacity-50"
            />
            <div className="space-y-0.5">
              <label htmlFor={inputId} className="text-sm font-medium text-foreground">
                {option.label}
              </label>
              <p id={`${inputId}-description`} className="text-xs text-muted-foreground">
                {option.description}
              </p>
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}

/**
 * "Delete my account": the person is signed out everywhere at once and the account is erased
 * after a grace period, unless they sign in before it ends, which calls the deletion off.
 * Asking needs the password, so an open session alone cannot delete an account.
 */
export function DeleteAccountCard({ graceDays }: { graceDays: number }) {
  const hydrated = useHydrated();
  const [messages, setMessages] = useState<DeletedMessagesChoice>("keep");
  const [open, setOpen] = useState(false);
  // Set once the deletion is asked for: the session is gone, and the page is on its way out.
  const [leaving, setLeaving] = useState(false);
  const form = useZodForm(passwordInput, { defaultValues: { password: "" } });
  const { errors, isSubmitting } = form.formState;
  const busy = isSubmitting || leaving;
  const when = erasedWhen(graceDays);

  function changeOpen(next: boolean) {
    if (busy) return;
    if (!next) form.reset({ password: "" });
    setOpen(next);
  }

  async function onSubmit({ password }: { password: string }) {
    const retry = rememberRetryAfter();
    const { data, error } = await authClient.$fetch(ACCOUNT_DELETION_PATH, {
      method: "POST",
      body: { password, messages },
      ...retry.fetchOptions,
    });
    // Untyped here, the failure still carries Better Auth's `code`.
    const failure: AuthFailure | null = error;
    if (failure) {
      form.setError("root.server", {
        message:
          failure.code === "INVALID_PASSWORD"
            ? "Your password is not right"
            : authErrorMessage(failure, retry.seconds, "Your account could not be deleted."),
      });
      if (failure.code === "INVALID_PASSWORD") form.setFocus("password", { shouldSelect: true });
      return;
    }
    setLeaving(true);
    const scheduled = accountDeletionScheduledSchema.safeParse(data);
    // A full load: the session is gone, and nothing of the signed-in app should linger.
    window.location.assign(
      scheduled.success
        ? `/account-deleted?at=${encodeURIComponent(scheduled.data.eraseAfter.toISOString())}`
        : "/account-deleted",
    );
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Delete my account</CardTitle>
        <CardDescription>
          You are signed out everywhere at once, and your account is erased {when}, unless you sign
          in again before then: signing in cancels the deletion.
        </CardDescription>
      </CardHeader>
      <div className="space-y-4">
        <div className="space-y-2 text-sm">
          <p>
            What goes: your profile, settings and custom fields, your sessions, passkeys and
            two-factor authentication, your API keys, your avatar and the files you uploaded. Where
            your name appeared, it shows as &ldquo;Deleted user&rdquo;.
          </p>
          <p className="text-muted-foreground">
            Want a copy first? Download your data above before you ask.
          </p>
        </div>
        <DeletedMessagesChoiceField
          whose="my"
          value={messages}
          onChange={setMessages}
          disabled={!hydrated}
        />
        <Button variant="destructive" disabled={!hydrated} onClick={() => changeOpen(true)}>
          Delete my account…
        </Button>
      </div>

      <Dialog open={open} onOpenChange={changeOpen}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Delete your account?</DialogTitle>
            <DialogDescription>
              Enter your password to confirm. You will be signed out at once, and your account is
              erased {when} unless you sign in again.{" "}
              {messages === "keep"
                ? "Your messages stay, without your name."
                : "Your messages will show as deleted."}
            </DialogDescription>
          </DialogHeader>
          <form
            aria-label="Delete my account"
            method="post"
            onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
            className="space-y-4"
            noValidate
          >
            <FormError message={errors.root?.server?.message} />
            <PasswordField
              label="Your password"
              error={errors.password?.message}
              purpose="current-password"
              registration={form.register("password")}
            />
            <DialogFooter>
              <Button
                type="button"
                variant="outline"
                disabled={busy}
                onClick={() => changeOpen(false)}
              >
                Cancel
              </Button>
              <Button type="submit" variant="destructive" disabled={busy || !hydrated}>
                {busy ? "Deleting…" : "Delete my account"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </Card>
  );
}
