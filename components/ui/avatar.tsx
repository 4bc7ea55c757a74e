"use client";

import { Avatar as AvatarPrimitive } from "radix-ui";
import { cn } from "@/lib/utils";

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((part) => (part ? Array.from(part)[0]?.toUpperCase() : "")).join("") || "?";
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
