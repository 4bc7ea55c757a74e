/**
 * Gap-fill for one chat's timeline, or one thread of it. Broadcasts only say "the chat reached
 * seq N" (no message bodies, and the server guarantees no delivery), so the messages
 * themselves always come from `fetchAfter`. Seqs are gap-free per chat, which lets this hand
 * the consumer every message exactly once and in seq order, however events, refetches and
 * reconnects interleave. The timeline and each thread hold some of the chat's seqs: a page
 * that reaches the end says how far the chat had got, and the seqs it skipped are another
 * scope's.
 */
export interface SyncedMessage {
  id: string;
  seq: number;
}

export interface MessagePage<T extends SyncedMessage> {
  /** Oldest first, all with seq greater than the one asked for. */
  items: T[];
  hasNewer: boolean;
  /** The chat's last seq when the page was read: with no newer items, all up to it are seen. */
  lastSeq?: number;
}

export interface ChatSyncOptions<T extends SyncedMessage> {
  chatId: string;
  fetchAfter: (seq: number) => Promise<MessagePage<T>>;
  /** Called with each batch of new messages, in seq order, never with one seen before. */
  onMessages: (items: T[]) => void;
  /** The last seq the consumer already has (e.g. from its first page); 0 for everything. */
  initialSeq?: number;
  onError?: (error: unknown) => void;
  /** Waits before retrying a failed fetch; the last value repeats. */
  retryDelaysMs?: number[];
}

export interface ChatSync<T extends SyncedMessage> {
  readonly chatId: string;
  /** The highest seq handed to the consumer. */
  readonly lastSeq: number;
  /** The channel (re)joined: whatever was missed while away is fetched. */
  handleSubscribed(): void;
  /** An event said the chat reached `seq` (message.created, member.changed, …). */
  noteSeq(seq: number): void;
  /** Messages that arrived some other way (one's own send): delivered in order, once. */
  ingest(items: T[]): void;
  /** Resolves when no fetch is running or due (tests, and callers that must wait). */
  idle(): Promise<void>;
  dispose(): void;
}

/**
 * The seq a scope of the chat reached, from the `chat:<id>` events that carry it, so a missed
 * message shows up as a gap; null otherwise. The timeline (`threadRootId` null) hears of its
 * messages and of the chat events (member.changed, chat.updated); a thread only of its replies.
 */
export function seqFromEvent(
  event: string,
  payload: Record<string, unknown>,
  threadRootId: string | null = null,
): number | null {
  const inScope =
    event === "message.created"
      ? (payload.threadRootId ?? null) === threadRootId
      : threadRootId === null &&
        (event === "member.changed" || (event === "chat.updated" && payload.change !== "deleted"));
  return inScope && typeof payload.seq === "number" ? payload.seq : null;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000];

export function createChatSync<T extends SyncedMessage>(options: ChatSyncOptions<T>): ChatSync<T> {
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  let lastSeq = options.initialSeq ?? 0;
  const delivered = new Set<string>();
  /** Messages from `ingest` that are ahead of a gap, by seq. */
  const ahead = new Map<number, T>();
  let running: Promise<void> | null = null;
  let again = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  const waiters: (() => void)[] = [];

  function deliver(items: T[]): void {
    const fresh: T[] = [];
    for (const item of [...items].sort((a, b) => a.seq - b.seq)) {
      if (item.seq <= lastSeq || delivered.has(item.id)) continue;
      delivered.add(item.id);
      lastSeq = item.seq;
      fresh.push(item);
    }
    // Ids below the window are kept out by their seq; the set only has to cover the
    // overlap between a fetch and an ingest.
    if (delivered.size > 1_000) {
      for (const id of [...delivered].slice(0, delivered.size - 500)) delivered.delete(id);
    }
    if (fresh.length > 0 && !disposed) options.onMessages(fresh);
  }

  /** Hands over ingested messages that now follow on without a gap. */
  function drainAhead(): void {
    for (const seq of [...ahead.keys()]) if (seq <= lastSeq) ahead.delete(seq);
    const run: T[] = [];
    for (let next = ahead.get(lastSeq + 1); next; next = ahead.get(lastSeq + 1 + run.length)) {
      run.push(next);
      ahead.delete(next.seq);
    }
    deliver(run);
  }

  async function fillOnce(): Promise<void> {
    for (;;) {
      const page = await options.fetchAfter(lastSeq);
      if (disposed) return;
      const before = lastSeq;
      deliver(page.items.filter((m) => m.seq > lastSeq));
      // Everything up to the chat's last seq is seen: what the page skipped is not this scope's.
      if (!page.hasNewer && page.lastSeq !== undefined && page.lastSeq > lastSeq) {
        lastSeq = page.lastSeq;
      }
      drainAhead();
      // A page that moved nothing forward cannot be followed: stop rather than spin.
      if (!page.hasNewer || lastSeq === before) break;
    }
    // Nothing new was learned while this fetch ran, so it saw every message there is:
    // ingested ones still past a gap follow seqs this user cannot read. Hand them over.
    if (!again && ahead.size > 0) {
      deliver([...ahead.values()]);
      ahead.clear();
    }
  }

  function settle(): void {
    if (running || retryTimer) return;
    for (const resolve of waiters.splice(0)) resolve();
  }

  function fill(): void {
    if (disposed) return;
    if (running) {
      again = true;
      return;
    }
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = undefined;
    }
    again = false;
    running = fillOnce()
      .then(() => {
        failures = 0;
      })
      .catch((error: unknown) => {
        if (disposed) return;
        options.onError?.(error);
        const delay = retryDelays[Math.min(failures, retryDelays.length - 1)] ?? 5_000;
        failures += 1;
        retryTimer = setTimeout(() => {
          retryTimer = undefined;
          fill();
        }, delay);
      })
      .finally(() => {
        running = null;
        // Whatever arrived meanwhile may postdate the fetch: one more round covers it.
        if (again && !retryTimer) fill();
        else settle();
      });
  }

  return {
    chatId: options.chatId,
    get lastSeq() {
      return lastSeq;
    },
    handleSubscribed() {
      fill();
    },
    noteSeq(seq: number) {
      if (seq > lastSeq) fill();
    },
    ingest(items: T[]) {
      for (const item of items) {
        if (item.seq > lastSeq && !delivered.has(item.id)) ahead.set(item.seq, item);
      }
      drainAhead();
      if (ahead.size > 0) fill();
    },
    idle() {
      if (!running && !retryTimer) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    dispose() {
      disposed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      ahead.clear();
      for (const resolve of waiters.splice(0)) resolve();
    },
  };
}
