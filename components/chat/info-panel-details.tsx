"use client";

import { useMutation } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { useState } from "react";
import { z } from "zod";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toaster";
import { applyServerError, useZodForm } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import { descriptionSchema, groupNameSchema, type ChatDetail } from "@/contracts/chats";
import { useChatChanged } from "./info-panel-cache";
import { InfoPanelVisibility } from "./info-panel-visibility";
import { presenceLabel, type Presence } from "@/lib/realtime/hooks";

/** The same rules `chats.update` parses the name and description with. */
const groupDetailsForm = z.object({ name: groupNameSchema, description: descriptionSchema });

/** The other person in a direct chat, as the panel shows them. */
export interface DirectPerson {
  image: string | null;
  presence: Presence;
}

/**
 * Picture, title and description (for a direct chat, the other person and whether they are
 * online); owners and admins can rename a group in place.
 */
export function InfoPanelDetails({
  chat,
  canManage,
  person,
}: {
  chat: ChatDetail;
  canManage: boolean;
  person: DirectPerson | null;
}) {
  const [editing, setEditing] = useState(false);
  const isGroup = chat.type === "group";
  const online = person?.presence === "online";
  return (
    <section aria-label="About this chat" className="space-y-3 p-4">
      <div className="flex items-center gap-3">
        <span className="relative shrink-0" aria-hidden="true">
          <Avatar
            name={chat.title}
            image={isGroup ? chat.image : (person?.image ?? null)}
            className="size-12 text-sm"
          />
          {online ? (
            <span className="absolute right-0 bottom-0 size-3 rounded-full border-2 border-card bg-success-text" />
          ) : null}
        </span>
        <div className="min-w-0 flex-1">
          <p className="truncate font-semibold" data-testid="info-title">
            {chat.title}
          </p>
          <p className="min-h-4 text-xs text-muted-foreground" data-testid="info-subtitle">
            {isGroup
              ? `${chat.visibility === "public" ? "Public room" : "Group"} · ${chat.members.length} ${chat.members.length === 1 ? "member" : "members"}`
              : presenceLabel(person?.presence ?? null)}
          </p>
        </div>
        {isGroup && canManage && !editing ? (
          <Button
            variant="ghost"
            size="icon"
            aria-label="Edit name and description"
            onClick={() => setEditing(true)}
          >
            <Pencil aria-hidden="true" />
          </Button>
        ) : null}
      </div>
      {editing ? (
        <GroupDetailsForm chat={chat} onDone={() => setEditing(false)} />
      ) : chat.description ? (
        <p className="text-sm break-words whitespace-pre-wrap">{chat.description}</p>
      ) : isGroup && canManage ? (
        <p className="text-sm text-muted-foreground">No description yet.</p>
      ) : null}
      {isGroup && canManage && !editing ? <InfoPanelVisibility chat={chat} /> : null}
    </section>
  );
}

function GroupDetailsForm({ chat, onDone }: { chat: ChatDetail; onDone: () => void }) {
  const trpc = useTRPC();
  const changed = useChatChanged(chat.id);
  const form = useZodForm(groupDetailsForm, {
    defaultValues: { name: chat.name ?? chat.title, description: chat.description ?? "" },
  });
  const { errors, isSubmitting } = form.formState;
  const update = useMutation(trpc.chats.update.mutationOptions());

  async function submit(values: z.output<typeof groupDetailsForm>) {
    try {
      const detail = await update.mutateAsync({
        chatId: chat.id,
        name: values.name,
        description: values.description || null,
      });
      toast.success("Group details saved");
      await changed(detail);
      onDone();
    } catch (error) {
      applyServerError(form, error);
    }
  }

  return (
    <form className="space-y-3" noValidate onSubmit={form.handleSubmit(submit)}>
      <Field label="Group name" error={errors.name?.message}>
        {(control) => <Input maxLength={100} {...control} {...form.register("name")} />}
      </Field>
      <Field label="Description" error={errors.description?.message}>
        {(control) => (
          <Textarea rows={3} maxLength={1000} {...control} {...form.register("description")} />
        )}
      </Field>
      <FormError message={errors.root?.server?.message} />
      <div className="flex justify-end gap-2">
        <Button type="button" variant="outline" size="sm" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" size="sm" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}
