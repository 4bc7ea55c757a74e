"use client";

import type { ReactNode } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PASSWORD_MAX_LENGTH } from "@/contracts/auth";

/**
 * A password input with its label, hint and error. `new-password` lets password managers
 * offer a generated one and caps the length the server accepts; `current-password` fills
 * the saved one.
 */
export function PasswordField({
  label,
  error,
  description,
  purpose,
  registration,
}: {
  label: string;
  error: string | undefined;
  description?: ReactNode;
  purpose: "current-password" | "new-password";
  registration: UseFormRegisterReturn;
}) {
  return (
    <Field label={label} error={error} description={description}>
      {(control) => (
        <Input
          {...control}
          type="password"
          autoComplete={purpose}
          maxLength={purpose === "new-password" ? PASSWORD_MAX_LENGTH : undefined}
          {...registration}
        />
      )}
    </Field>
  );
}

/** "New password" and its confirmation: the pair every form that sets a password asks for. */
export function NewPasswordFields({
  errors,
  register,
}: {
  errors: { newPassword?: string; confirmPassword?: string };
  register: (name: "newPassword" | "confirmPassword") => UseFormRegisterReturn;
}) {
  return (
    <>
      <PasswordField
        label="New password"
        error={errors.newPassword}
        purpose="new-password"
        registration={register("newPassword")}
      />
      <PasswordField
        label="Confirm new password"
        error={errors.confirmPassword}
        purpose="new-password"
        registration={register("confirmPassword")}
      />
    </>
  );
}
