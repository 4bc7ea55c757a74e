"use client";

import type { ReactNode } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PASSWORD_MAX_LENGTH } from "@/server/contracts/auth";

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
