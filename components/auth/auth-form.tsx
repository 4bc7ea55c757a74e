"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { FormError } from "@/components/ui/form-error";
import { useHydrated } from "@/lib/hooks/use-hydrated";

/**
 * The card every signed-out form shares: a heading, the form's own error, its fields, one
 * submit button (disabled until hydrated, so a click never posts the page) and a link
 * onwards. The fields are the caller's.
 */
export function AuthForm<TInput extends FieldValues, TOutput extends FieldValues>({
  form,
  onSubmit,
  title,
  description,
  submit,
  footer,
  children,
}: {
  form: UseFormReturn<TInput, unknown, TOutput>;
  onSubmit: (values: TOutput) => Promise<void>;
  title: string;
  description: ReactNode;
  submit: { label: string; busy: string };
  footer?: { text: string; href: string; label: string };
  children: ReactNode;
}) {
  const hydrated = useHydrated();
  const { errors, isSubmitting } = form.formState;
  return (
    <Card>
      <form
        method="post"
        onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
        className="space-y-4"
        noValidate
      >
        <div className="space-y-1">
          <CardTitle as="h1">{title}</CardTitle>
          <CardDescription>{description}</CardDescription>
        </div>
        <FormError message={errors.root?.server?.message} />
        {children}
        <Button type="submit" className="w-full" disabled={isSubmitting || !hydrated}>
          {isSubmitting ? submit.busy : submit.label}
        </Button>
        {footer ? (
          <p className="text-center text-sm text-muted-foreground">
            {footer.text}{" "}
            <Link href={footer.href} className="font-medium text-primary-text hover:underline">
              {footer.label}
            </Link>
          </p>
        ) : null}
      </form>
    </Card>
  );
}
