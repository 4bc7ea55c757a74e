"use client";

import { useSelectedLayoutSegment } from "next/navigation";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

/**
 * The chat list beside the open conversation. Below `md` only one shows, edge to edge: the
 * list at /chat, the conversation at /chat/<id> (with its own back button).
 */
export function ChatPanes({ list, children }: { list: ReactNode; children: ReactNode }) {
  const open = useSelectedLayoutSegment() !== null;
  return (
    // A card beside the sidebar from `md` up; below, edge to edge under the header and its border (the
    // negative margins undo the page's padding), so a phone's message box keeps its width.
    <div className="-mx-4 -my-6 flex h-[calc(100dvh-3.5rem-1px)] min-h-[28rem] overflow-hidden bg-card sm:-mx-6 md:m-0 md:h-[calc(100dvh-6.5rem-1px)] md:rounded-xl md:border md:border-border">
      <section
        aria-label="Chats"
        className={cn(
          "w-full shrink-0 flex-col border-border md:flex md:w-80 md:border-r",
          open ? "hidden" : "flex",
        )}
      >
        {/* The page's heading until a conversation, with its own, is open. */}
        {open ? null : <h1 className="sr-only">Chats</h1>}
        {list}
      </section>
      <div className={cn("min-w-0 flex-1 flex-col md:flex", open ? "flex" : "hidden")}>
        {children}
      </div>
    </div>
  );
}
