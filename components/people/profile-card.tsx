"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { MessageSquare } from "lucide-react";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/components/ui/toaster";
import { useFormatters } from "@/lib/format";
import { errorMessage } from "@/lib/forms";
import { presenceLabel, presenceOf, usePresence } from "@/lib/realtime/hooks";
import { useNow } from "@/lib/use-now";
import { lastSeenText } from "./presence-text";
import { useTRPC } from "@/lib/trpc/react";
import type { PublicMeta } from "@/contracts/metas";

/** A public field's value as a line of text; JSON values are not shown on a card. */
function metaText(meta: PublicMeta): string | null {
  const value = meta.value;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "string" || typeof value === "number") return String(value);
  return null;
}

/**
 * A person's card, from their name or picture: picture, name, whether they are online, their
 * status and public profile fields, and a way to message them. Loaded when it opens.
 */
export function ProfileCard({
  userId,
  myId,
  label,
  children,
}: {
  userId: string;
  /** The viewer, who gets no "Message" button on their own card. */
  myId?: string;
  /** The trigger's accessible name ("Ann's profile"). */
  label: string;
  children: ReactNode;
}) {
  return (
    <Popover>
      <PopoverTrigger asChild aria-label={label}>
        {children}
      </PopoverTrigger>
      <PopoverContent align="start" className="w-72" aria-label={label}>
        <ProfileCardBody userId={userId} myId={myId} />
      </PopoverContent>
    </Popover>
  );
}

function ProfileCardBody({ userId, myId }: { userId: string; myId: string | undefined }) {
  const trpc = useTRPC();
  const router = useRouter();
  const format = useFormatters();
  const online = usePresence();
  const profile = useQuery(trpc.users.profile.queryOptions({ userId }));
  const now = useNow(30_000);
  const message = useMutation(
    trpc.chats.createDirect.mutationOptions({
      onSuccess: (chat) => router.push(`/chat/${chat.id}`),
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  if (profile.isError) {
    return <p className="text-sm text-muted-foreground">This profile is not available.</p>;
  }
  if (!profile.data) {
    return (
      <div className="space-y-2" aria-busy="true">
        <Skeleton className="size-12 rounded-full" />
        <Skeleton className="h-4 w-32" />
      </div>
    );
  }
  const person = profile.data;
  const presence = presenceOf(online, person.id);
  const fields = person.publicMetas
    .map((meta) => ({ key: meta.key, text: metaText(meta) }))
    .filter((f): f is { key: string; text: string } => f.text !== null);
  return (
    <div className="space-y-3" data-testid="profile-card">
      <div className="flex items-center gap-3">
        <Avatar name={person.name} image={person.image} className="size-12 text-sm" />
        <div className="min-w-0">
          <p className="truncate font-semibold">{person.name}</p>
          <p className="text-xs text-muted-foreground" data-testid="profile-presence">
            {presence === "offline" && person.lastSeenAt
              ? lastSeenText(format, person.lastSeenAt)
              : presenceLabel(presence)}
          </p>
        </div>
      </div>
      {person.status ? (
        <p className="text-sm" data-testid="profile-status">
          {[person.status.emoji, person.status.text].filter(Boolean).join(" ")}
          {person.status.expiresAt ? (
            <span className="block text-xs text-muted-foreground">
              Until {format.dateTime(person.status.expiresAt)}
            </span>
          ) : null}
        </p>
      ) : null}
      {person.timeZone && now !== null ? (
        <p className="text-sm" data-testid="profile-local-time">
          <span className="text-muted-foreground">Local time </span>
          {format.timeIn(now, person.timeZone)}
          <span className="text-xs text-muted-foreground"> · {person.timeZone}</span>
        </p>
      ) : null}
      {fields.length > 0 ? (
        <dl className="space-y-1 text-sm">
          {fields.map((field) => (
            <div key={field.key} className="flex gap-2">
              <dt className="shrink-0 text-muted-foreground">{field.key}</dt>
              <dd className="min-w-0 truncate">{field.text}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {person.id !== myId ? (
        <Button
          size="sm"
          variant="outline"
          className="w-full"
          disabled={message.isPending}
          onClick={() => message.mutate({ userId: person.id })}
        >
          <MessageSquare aria-hidden="true" />
          Message {person.name}
        </Button>
      ) : null}
    </div>
  );
}
