"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { TRPCClientError } from "@trpc/client";
import {
  useForm,
  type FieldValues,
  type Path,
  type UseFormProps,
  type UseFormReturn,
} from "react-hook-form";
import type { z } from "zod";

/**
 * A react-hook-form bound to the zod schema the server parses the same input with, so the
 * browser rejects what the server would, with the same messages.
 */
export function useZodForm<TSchema extends z.ZodType<FieldValues, FieldValues>>(
  schema: TSchema,
  options?: Omit<UseFormProps<z.input<TSchema>, unknown, z.output<TSchema>>, "resolver">,
): UseFormReturn<z.input<TSchema>, unknown, z.output<TSchema>> {
  return useForm<z.input<TSchema>, unknown, z.output<TSchema>>({
    ...options,
    resolver: zodResolver(schema),
  });
}

interface ServerIssue {
  path: PropertyKey[];
  message: string;
}

function zodIssuesOf(error: unknown): ServerIssue[] {
  if (!(error instanceof TRPCClientError)) return [];
  const data: unknown = error.data;
  if (!data || typeof data !== "object" || !("zodIssues" in data)) return [];
  const issues = data.zodIssues;
  return Array.isArray(issues) ? (issues as ServerIssue[]) : [];
}

/** The words to show a user for a failed call: the server's message, never a stack trace. */
export function errorMessage(
  error: unknown,
  fallback = "Something went wrong. Try again.",
): string {
  const [issue] = zodIssuesOf(error);
  if (issue) return issue.message;
  if (error instanceof TRPCClientError && error.message) {
    return error.message === "Failed to fetch"
      ? "Parley could not be reached. Check your connection and try again."
      : error.message;
  }
  if (error instanceof Error && error.message) return error.message;
  return fallback;
}

/**
 * Shows a server rejection on the form: field issues beside their fields, anything else as
 * the form's own error (`errors.root.server`).
 */
export function applyServerError<T extends FieldValues>(
  form: UseFormReturn<T, unknown, FieldValues> | UseFormReturn<T, unknown, T>,
  error: unknown,
): void {
  const issues = zodIssuesOf(error);
  let placed = false;
  for (const issue of issues) {
    const name = issue.path.map(String).join(".");
    if (name) {
      form.setError(name as Path<T>, { type: "server", message: issue.message });
      placed = true;
    }
  }
  if (!placed) form.setError("root.server", { type: "server", message: errorMessage(error) });
}
