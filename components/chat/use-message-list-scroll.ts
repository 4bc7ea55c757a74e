"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";
import type { MessageView } from "@/contracts/messages";
import { messageRowOf } from "./message-row-focus";

/** Closer than this to the bottom counts as "at the latest message". */
const STICK_PX = 120;
const LOAD_OLDER_PX = 300;
const LOAD_NEWER_PX = 300;
/** How long a message jumped to stays marked. */
const HIGHLIGHT_MS = 4_000;
/** How long a scroll to the bottom keeps the list there while the heights settle. */
const SETTLE_MS = 600;
/** How long the bottom is measured every frame after the newest message changes. */
const SEEN_SETTLE_MS = 1_500;
/** How often, after that, until the newest message has been on screen. */
const SEEN_CHECK_MS = 1_000;

/**
 * Whether `end` (the empty element after the last message) is inside the scroller's visible
 * box, the scroller itself being rendered. A pixel of slack for fractional layout.
 */
function bottomOnScreen(scroller: HTMLElement, end: HTMLElement): boolean {
  // Not rendered (a pane hidden on a phone, a boundary showing its fallback): not on screen.
  // (`checkVisibility` is missing before Safari 17.4; the size below covers most of it there.)
  if (typeof scroller.checkVisibility === "function" && !scroller.checkVisibility()) return false;
  const view = scroller.getBoundingClientRect();
  const spot = end.getBoundingClientRect();
  return view.height > 0 && spot.top <= view.bottom + 1 && spot.bottom >= view.top - 1;
}

/** A message to jump to: the nonce tells a repeated jump from the one already made. */
export interface JumpTarget {
  seq: number;
  nonce: number;
}

/** The list's props that scrolling depends on: the history window and the calls that move it. */
export interface ScrollInputs {
  messages: MessageView[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => Promise<void>;
  /** The window is older history: newer messages load on scrolling down. */
  hasNewer: boolean;
  loadingNewer: boolean;
  onLoadNewer: () => Promise<void>;
  /** Replaces older history with the latest messages; false when that failed. */
  onJumpToLatest: () => Promise<boolean>;
  /** The message to bring into view and mark; a new nonce repeats the jump. */
  target: JumpTarget | null;
  onVisibleLatest: (seq: number) => void;
}

interface ScrollOptions extends ScrollInputs {
  /** Messages being sent: one more means the reader sent one, and the list follows it. */
  pendingCount: number;
  /** The list renders the "new messages" divider, and opens there rather than at the bottom. */
  opensAtUnread: boolean;
}

export interface MessageListScroll {
  /** The scrolling `role="log"` element. */
  scrollerRef: RefObject<HTMLDivElement | null>;
  /** An empty element after everything else: on screen means the newest message was seen. */
  bottomRef: RefObject<HTMLDivElement | null>;
  onScroll: () => void;
  /** For the reader's wheel, touch, key and pointer: they end a scroll to the bottom. */
  onReaderInput: () => void;
  /** Far enough from the bottom that "Jump to latest" is worth offering. */
  showJump: boolean;
  /** Messages that arrived below the view since the reader scrolled up. */
  newBelowCount: number;
  /** The message jumped to, marked for a while. */
  highlightedSeq: number | null;
  /** Loads the page above, keeping the reading position. */
  loadOlder: () => Promise<void>;
  jumpToLatest: () => void;
}

/**
 * Where the conversation is scrolled. It opens at the first unread message (or the latest),
 * keeps the reading position while older pages load above, follows new messages only while
 * the reader is at the bottom, brings a message jumped to into view, loads pages near the
 * edges, and reports the newest message actually seen.
 */
export function useMessageListScroll({
  messages,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  hasNewer,
  loadingNewer,
  onLoadNewer,
  onJumpToLatest,
  target,
  onVisibleLatest,
  pendingCount,
  opensAtUnread,
}: ScrollOptions): MessageListScroll {
  const scroller = useRef<HTMLDivElement>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** Set when the reader asked for the latest messages: follow them once they render. */
  const toLatest = useRef(false);
  const [showJump, setShowJump] = useState(false);
  /** The newest message when the reader scrolled away from the bottom; null at the bottom. */
  const [awayFromSeq, setAwayFromSeq] = useState<number | null>(null);
  const [highlight, setHighlight] = useState<JumpTarget | null>(null);
  const heightBeforeOlder = useRef<number | null>(null);
  const opened = useRef(false);
  const settleFrame = useRef<number | null>(null);

  const stopSettling = useCallback(() => {
    if (settleFrame.current !== null) cancelAnimationFrame(settleFrame.current);
    settleFrame.current = null;
  }, []);

  /**
   * To the very bottom, and kept there a moment while the heights settle. Messages are laid
   * out with `content-visibility: auto`: those that come into view take their real height
   * only once rendered, frames later on a busy machine, and that moves the bottom away from
   * where the first scroll went (an end-to-end run caught the list still moving 200 ms after
   * it, short of its newest message). The reader's own wheel, touch, key or pointer ends it.
   */
  const scrollToBottom = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    stopSettling();
    const started = performance.now();
    const settle = () => {
      settleFrame.current = null;
      if (el.scrollHeight - el.clientHeight - el.scrollTop > 1) el.scrollTop = el.scrollHeight;
      atBottom.current = true;
      if (performance.now() - started < SETTLE_MS) {
        settleFrame.current = requestAnimationFrame(settle);
      }
    };
    settle();
  }, [stopSettling]);

  useEffect(() => stopSettling, [stopSettling]);

  const firstSeq = messages[0]?.seq;
  const lastSeq = messages.at(-1)?.seq ?? 0;

  // Open at the first unread message, or at the bottom.
  useLayoutEffect(() => {
    if (opened.current) return;
    opened.current = true;
    const el = scroller.current;
    if (!el) return;
    const divider = opensAtUnread
      ? el.querySelector<HTMLElement>("[data-testid='unread-divider']")
      : null;
    if (divider) divider.scrollIntoView({ block: "start" });
    else scrollToBottom();
  }, [opensAtUnread, scrollToBottom]);

  // Older messages went in above: keep what the reader was looking at where it was.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || heightBeforeOlder.current === null) return;
    el.scrollTop += el.scrollHeight - heightBeforeOlder.current;
    heightBeforeOlder.current = null;
  }, [firstSeq]);

  // New messages at the bottom: follow them if the reader was there (or sent one). Pages
  // loaded below older history are not followed: the reader is still reading down to them.
  const pendingBefore = useRef(pendingCount);
  const wasLive = useRef(!hasNewer);
  useLayoutEffect(() => {
    const sent = pendingCount > pendingBefore.current;
    pendingBefore.current = pendingCount;
    const stayedLive = wasLive.current;
    wasLive.current = !hasNewer;
    // Sending from older history brings the latest messages back: follow them there.
    if (sent && hasNewer) toLatest.current = true;
    const el = scroller.current;
    if (!el || hasNewer) return;
    if (!((atBottom.current && stayedLive) || toLatest.current || sent)) return;
    scrollToBottom();
    toLatest.current = false;
  }, [lastSeq, pendingCount, hasNewer, scrollToBottom]);

  // A jump: bring the message into view once it is rendered, focus it and mark it a while.
  const handledJump = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (!target || handledJump.current === target.nonce) return;
    const element = scroller.current?.querySelector<HTMLElement>(`[data-jump-seq="${target.seq}"]`);
    if (!element) return;
    handledJump.current = target.nonce;
    stopSettling();
    heightBeforeOlder.current = null;
    toLatest.current = false;
    atBottom.current = false;
    element.scrollIntoView({ block: "center" });
    // The message itself takes the focus (screen readers start reading there, and the arrow
    // keys go on from it); the row is focusable from script only.
    const row = messageRowOf(element);
    row.tabIndex = -1;
    row.focus({ preventScroll: true });
    setHighlight(target);
    // Pictures and messages rendered on the way may have moved it: centre it once more.
    requestAnimationFrame(() => element.scrollIntoView({ block: "center" }));
  }, [target, messages, stopSettling]);

  useEffect(() => {
    if (!highlight) return;
    const timer = setTimeout(() => setHighlight(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlight]);

  const loadOlder = useCallback(async () => {
    const el = scroller.current;
    if (!el || !hasOlder || loadingOlder) return;
    heightBeforeOlder.current = el.scrollHeight;
    await onLoadOlder();
  }, [hasOlder, loadingOlder, onLoadOlder]);

  /** The list's size as last handled: a scroll at another size is the resize's doing. */
  const size = useRef<{ width: number; height: number } | null>(null);
  const resized = (el: HTMLElement) =>
    size.current !== null &&
    (el.clientWidth !== size.current.width || el.clientHeight !== size.current.height);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    size.current = { width: el.clientWidth, height: el.clientHeight };
    const observer = new ResizeObserver(() => {
      if (!resized(el)) return;
      size.current = { width: el.clientWidth, height: el.clientHeight };
      // At the bottom, the newest message stays in view however the rows rewrap. Rows off
      // screen keep the height they last had until they render at the new width, so the
      // bottom is followed while they settle, as when the chat opens. Anywhere else, the
      // browser's scroll anchoring keeps the message at the top of the view where it was.
      if (atBottom.current) scrollToBottom();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [scrollToBottom]);

  /** The newest message reported on screen: the checks below stop once it is. */
  const reportedSeq = useRef(0);

  /**
   * Reports the newest message as seen if the bottom of the list is on screen now, measured
   * rather than taken from an observer's last word (see below).
   */
  const reportIfLatestSeen = useCallback(() => {
    const el = scroller.current;
    const end = bottom.current;
    if (!el || !end || lastSeq <= 0 || !bottomOnScreen(el, end)) return;
    reportedSeq.current = Math.max(reportedSeq.current, lastSeq);
    onVisibleLatest(lastSeq);
  }, [lastSeq, onVisibleLatest]);

  const onScroll = () => {
    const el = scroller.current;
    // The browser moves the list as its size changes, before the observer hears of it: where
    // the reader was is the observer's to restore, not this scroll's to record.
    if (!el || resized(el)) return;
    const distance = el.scrollHeight - el.scrollTop - el.clientHeight;
    atBottom.current = distance < STICK_PX;
    const away = distance > STICK_PX * 3;
    setShowJump(away);
    setAwayFromSeq((since) => (away ? (since ?? lastSeq) : null));
    reportIfLatestSeen();
    if (el.scrollTop < LOAD_OLDER_PX) void loadOlder();
    if (distance < LOAD_NEWER_PX && hasNewer && !loadingNewer) void onLoadNewer();
  };

  // The newest message is "seen" when the bottom of the list is on screen. An observer hears
  // of scrolling, but not reliably of the bottom coming into view as the layout settles: rows
  // drawn with `content-visibility: auto` take their real height frames after the list opens
  // (usually less than the placeholder's), which moves the bottom up into view with no scroll.
  // Chromium then sends no new entry (an end-to-end run caught the observer's only entry
  // saying "9 px below the view" while the newest message sat on screen for good, and the
  // chat was never read). So the bottom is also measured each frame while the list settles,
  // then every second until the newest message has been seen, and whenever the window comes
  // back into view or focus.
  useEffect(() => {
    const el = scroller.current;
    const end = bottom.current;
    if (!el || !end || lastSeq <= 0) return;
    const observer = new IntersectionObserver(
      ([entry]) => {
        if (entry?.isIntersecting) reportIfLatestSeen();
      },
      { root: el, threshold: 0 },
    );
    observer.observe(end);
    const unseen = () => reportedSeq.current < lastSeq;
    const started = performance.now();
    let frame: number | null = null;
    const settle = () => {
      frame = null;
      reportIfLatestSeen();
      if (unseen() && performance.now() - started < SEEN_SETTLE_MS) {
        frame = requestAnimationFrame(settle);
      }
    };
    frame = requestAnimationFrame(settle);
    const timer = setInterval(() => {
      if (unseen() && document.visibilityState === "visible") reportIfLatestSeen();
    }, SEEN_CHECK_MS);
    // Seen while the window was away is for the conversation to weigh: report it again.
    const recheck = () => reportIfLatestSeen();
    window.addEventListener("focus", recheck);
    document.addEventListener("visibilitychange", recheck);
    return () => {
      observer.disconnect();
      if (frame !== null) cancelAnimationFrame(frame);
      clearInterval(timer);
      window.removeEventListener("focus", recheck);
      document.removeEventListener("visibilitychange", recheck);
    };
  }, [lastSeq, reportIfLatestSeen]);

  const jumpToLatest = () => {
    const el = scroller.current;
    if (!el) return;
    // The button goes away: keep the keyboard in the conversation.
    el.focus({ preventScroll: true });
    if (hasNewer) {
      toLatest.current = true;
      void onJumpToLatest().then((shown) => {
        if (!shown) toLatest.current = false;
      });
    } else {
      el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
    }
  };

  return {
    scrollerRef: scroller,
    bottomRef: bottom,
    onScroll,
    onReaderInput: stopSettling,
    showJump,
    // Below the loaded history there is nothing new to count: what is there is older.
    newBelowCount:
      awayFromSeq === null || hasNewer ? 0 : messages.filter((m) => m.seq > awayFromSeq).length,
    highlightedSeq: highlight?.seq ?? null,
    loadOlder,
    jumpToLatest,
  };
}
