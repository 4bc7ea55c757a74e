"use client";

import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** An endpoint's address and description, the same in the add and the edit form. */
export function EndpointFields({
  url,
  description,
  errors,
}: {
  url: UseFormRegisterReturn<"url">;
  description: UseFormRegisterReturn<"description">;
  errors: { url?: string | undefined; description?: string | undefined };
}) {
  return (
    <>
      <Field
        label="Endpoint URL"
        description="An https:// address that answers with a 2xx status within 10 seconds"
        error={errors.url}
      >
        {(control) => (
          <Input
            {...control}
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://example.com/webhooks/parley"
            maxLength={2048}
            {...url}
          />
        )}
      </Field>
      <Field
        label="Description"
        description="Optional: what receives it"
        error={errors.description}
      >
        {(control) => <Input {...control} autoComplete="off" maxLength={200} {...description} />}
      </Field>
    </>
  );
}
