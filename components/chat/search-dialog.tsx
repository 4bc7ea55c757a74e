"use client";

import { TextSearch } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Tooltip } from "@/components/ui/tooltip";
import type { SearchHit } from "@/contracts/messages";
import { SearchResults } from "./search-results";
import { openMessage } from "./use-message-link";

function isSearchShortcut(event: KeyboardEvent): boolean {
  return (
    (event.ctrlKey || event.metaKey) &&
    !event.altKey &&
    !event.shiftKey &&
    event.key.toLowerCase() === "k"
  );
}

/**
 * "Search messages": a button, and Ctrl+K (⌘K) anywhere on the chat pages. Choosing a
 * result opens its chat at that message. The last search stays for the next time.
 */
export function SearchDialog({ myId }: { myId: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const chosen = useRef(false);
  /** Where the keyboard was when the shortcut opened the dialog, to go back there. */
  const returnTo = useRef<HTMLElement | null>(null);

  const openFromShortcut = useEffectEvent(() => {
    if (open) return;
    chosen.current = false;
    returnTo.current =
      document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setOpen(true);
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isSearchShortcut(event)) return;
      event.preventDefault();
      openFromShortcut();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  const choose = (hit: SearchHit) => {
    chosen.current = true;
    setOpen(false);
    openMessage(router, hit.chatId, hit.seq);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (next) {
          chosen.current = false;
          returnTo.current = null;
        }
        setOpen(next);
      }}
    >
      <Tooltip content="Search messages (Ctrl+K)">
        <DialogTrigger asChild>
          <Button
            size="icon"
            variant="outline"
            aria-label="Search messages"
            aria-keyshortcuts="Control+K Meta+K"
          >
            <TextSearch aria-hidden="true" />
          </Button>
        </DialogTrigger>
      </Tooltip>
      <DialogContent
        className="top-[12vh] max-w-xl translate-y-0"
        onCloseAutoFocus={(event) => {
          // The conversation focuses the chosen message.
          if (chosen.current) event.preventDefault();
          else if (returnTo.current?.isConnected) {
            event.preventDefault();
            returnTo.current.focus();
          }
        }}
      >
        <DialogHeader>
          <DialogTitle>Search messages</DialogTitle>
          <DialogDescription>
            In all your chats. Use the arrow keys to pick a result and Enter to open it.
          </DialogDescription>
        </DialogHeader>
        <SearchResults myId={myId} query={query} onQueryChange={setQuery} onChoose={choose} />
      </DialogContent>
    </Dialog>
  );
}
