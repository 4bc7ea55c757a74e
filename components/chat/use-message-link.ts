"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useEffectEvent } from "react";
import { toast } from "@/components/ui/toaster";

const JUMP_EVENT = "parley:jump-to-message";

interface JumpDetail {
  chatId: string;
  seq: number;
}

/** The link that opens a chat at one message: `/chat/<id>?message=<seq>`. */
export function messageHref(chatId: string, seq: number): string {
  return `/chat/${chatId}?message=${seq}`;
}

/**
 * Asks the open conversation to show message `seq` again: for when its link is already the
 * current address, so navigating to it would change nothing.
 */
export function requestMessageJump(chatId: string, seq: number): void {
  window.dispatchEvent(new CustomEvent<JumpDetail>(JUMP_EVENT, { detail: { chatId, seq } }));
}

/**
 * Opens a chat at one message: navigates to its link, or, when that link is already the
 * address (navigating would change nothing), asks the open conversation for the jump.
 */
export function openMessage(router: { push(href: string): void }, chatId: string, seq: number) {
  const href = messageHref(chatId, seq);
  if (`${window.location.pathname}${window.location.search}` === href) {
    requestMessageJump(chatId, seq);
  } else {
    router.push(href);
  }
}

function parseSeq(value: string): number | null {
  const seq = Number(value);
  return /^\d+$/.test(value) && Number.isSafeInteger(seq) && seq > 0 ? seq : null;
}

/**
 * Follows `?message=<seq>` in the address (a search result, a shared link, on a full page
 * load or a client navigation, also to another message of the same chat) and repeated
 * requests for the message already in the address.
 */
export function useMessageLink(chatId: string, jumpTo: (seq: number) => unknown): void {
  const param = useSearchParams().get("message");
  const jump = useEffectEvent((seq: number) => void jumpTo(seq));

  useEffect(() => {
    if (param === null) return;
    const seq = parseSeq(param);
    if (seq === null) toast.error("That link points to no message: its number is not valid.");
    else jump(seq);
  }, [param]);

  useEffect(() => {
    const onRequest = (event: Event) => {
      const { detail } = event as CustomEvent<JumpDetail>;
      if (detail.chatId === chatId) jump(detail.seq);
    };
    window.addEventListener(JUMP_EVENT, onRequest);
    return () => window.removeEventListener(JUMP_EVENT, onRequest);
  }, [chatId]);
}
