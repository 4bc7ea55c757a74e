"use client";

import { Avatar as AvatarPrimitive } from "radix-ui";
import { cn } from "@/lib/utils";

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  // Words that start with a letter make the initials ("Design review 56363" is "DR", not
  // "D5"); a name without any falls back to its first and last words.
  const words = parts.filter((part) => /^\p{L}/u.test(part));
  const from = words.length > 0 ? words : parts;
  const picked = from.length > 1 ? [from[0], from[from.length - 1]] : from;
  return picked.map((part) => (part ? Array.from(part)[0]?.toUpperCase() : "")).join("") || "?";
}

/** A user's picture, or their initials while it loads or when there is none. */
export function Avatar({
  name,
  image,
  className,
}: {
  name: string;
  image?: string | null;
  className?: string;
}) {
  return (
    <AvatarPrimitive.Root
      className={cn(
        "relative inline-flex size-8 shrink-0 overflow-hidden rounded-full bg-primary-soft",
        className,
      )}
    >
      {image ? (
        <AvatarPrimitive.Image src={image} alt="" className="size-full object-cover" />
      ) : null}
      <AvatarPrimitive.Fallback
        delayMs={image ? 400 : 0}
        className="flex size-full items-center justify-center text-xs font-semibold text-primary-text"
      >
        <span aria-hidden="true">{initials(name)}</span>
      </AvatarPrimitive.Fallback>
    </AvatarPrimitive.Root>
  );
}
