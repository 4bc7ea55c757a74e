"use client";

import type { ComponentProps } from "react";
import { Field } from "./field";
import { NativeSelect } from "./select";

export interface FilterOption {
  value: string;
  label: string;
}

/**
 * A labelled select of a filter bar: "All …" first, then the choices. Controlled
 * (`value`/`onChange`) or a plain form field (`name`/`defaultValue`), as a select is.
 */
export function FilterSelect({
  label,
  options,
  ...select
}: { label: string; options: readonly FilterOption[] } & Omit<
  ComponentProps<"select">,
  "children" | "id"
>) {
  return (
    <Field label={label}>
      {(control) => (
        <NativeSelect {...control} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </NativeSelect>
      )}
    </Field>
  );
}
