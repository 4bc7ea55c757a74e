"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import { applyServerError, useZodForm } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import { updateProfileInput } from "@/contracts/me";

/** The display name (validated as the server does) and the sign-in email, read-only. */
export function ProfileForm({ emailVerified }: { emailVerified: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { data: profile } = useSuspenseQuery(trpc.me.get.queryOptions());
  const form = useZodForm(updateProfileInput, { defaultValues: { name: profile.name } });
  const update = useMutation(trpc.me.update.mutationOptions());
  const { errors, isDirty } = form.formState;

  const onSubmit = form.handleSubmit(async (input) => {
    try {
      const saved = await update.mutateAsync(input);
      queryClient.setQueryData(trpc.me.get.queryKey(), saved);
      form.reset({ name: saved.name });
      toast.success("Name saved");
      router.refresh();
    } catch (error) {
      applyServerError(form, error);
    }
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Account</CardTitle>
        <CardDescription>Your name appears on your messages and in chat lists.</CardDescription>
      </CardHeader>
      <form onSubmit={onSubmit} noValidate className="max-w-md space-y-4">
        <Field label="Name" error={errors.name?.message}>
          {(control) => <Input {...control} autoComplete="name" {...form.register("name")} />}
        </Field>
        <Field
          label={
            <span className="inline-flex items-center gap-2">
              Email
              <Badge variant={emailVerified ? "success" : "warning"}>
                {emailVerified ? "Verified" : "Not verified"}
              </Badge>
            </span>
          }
          description="The address you sign in with. It cannot be changed here."
        >
          {(control) => <Input {...control} value={profile.email} readOnly type="email" />}
        </Field>
        <FormError message={errors.root?.server?.message ?? errors.root?.message} />
        <Button type="submit" disabled={update.isPending || !isDirty}>
          {update.isPending ? "Saving…" : "Save name"}
        </Button>
      </form>
    </Card>
  );
}
