"use client";

import { QRCodeSVG } from "qrcode.react";
import { authErrorMessage, rememberRetryAfter } from "@/components/auth/auth-errors";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { authClient } from "@/lib/auth-client";
import { useZodForm } from "@/lib/forms";
import { totpConfirmInput } from "@/contracts/auth";

/** The secret of an otpauth:// URI, in groups of four for typing it into an app by hand. */
export function manualEntryKey(totpURI: string): string {
  const secret = new URL(totpURI).searchParams.get("secret") ?? "";
  return secret.match(/.{1,4}/g)?.join(" ") ?? "";
}

/**
 * Enrolment's middle step: the QR code (and the key, for apps without a camera), then one
 * code from the app, which proves it was set up before two-factor is on.
 */
export function TotpSetup({ totpURI, onVerified }: { totpURI: string; onVerified: () => void }) {
  const form = useZodForm(totpConfirmInput, { defaultValues: { code: "" } });
  const { errors, isSubmitting } = form.formState;

  async function onSubmit({ code }: { code: string }) {
    const retry = rememberRetryAfter();
    const { error } = await authClient.twoFactor.verifyTotp({ code }, retry.fetchOptions);
    if (error?.code === "INVALID_CODE") {
      form.setError("code", { message: "That code is not right. Check the app and try again." });
      return;
    }
    if (error) {
      form.setError("root.server", {
        message: authErrorMessage(error, retry.seconds, "Could not check the code. Try again."),
      });
      return;
    }
    onVerified();
  }

  return (
    <form
      onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
      className="space-y-4"
      noValidate
    >
      <p className="text-sm text-muted-foreground">
        Scan this QR code with an authenticator app (1Password, Google Authenticator, Authy,
        Microsoft Authenticator…).
      </p>
      <div className="flex justify-center">
        <QRCodeSVG
          value={totpURI}
          size={176}
          marginSize={2}
          title="QR code for your authenticator app"
          className="rounded-md"
        />
      </div>
      <p className="text-sm text-muted-foreground">
        No camera? Enter this key in the app:{" "}
        <code data-testid="totp-key" className="font-mono text-sm break-all text-foreground">
          {manualEntryKey(totpURI)}
        </code>
      </p>
      <FormError message={errors.root?.server?.message} />
      <Field label="Code from the app" error={errors.code?.message}>
        {(control) => (
          <Input
            {...control}
            autoComplete="one-time-code"
            inputMode="numeric"
            spellCheck={false}
            {...form.register("code")}
          />
        )}
      </Field>
      <DialogFooter>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Checking…" : "Turn on"}
        </Button>
      </DialogFooter>
    </form>
  );
}
