import "server-only";

import type { PresenceMeta, PresenceRegistry, PresenceState } from "./presence";

/**
 * Presence as clients see it: one entry per user however many tabs they track from, and
 * changes sent as one `presence_diff` per topic per interval rather than one per track. With
 * N sockets tracking on a topic at once, the gateway sends about N frames (one diff to each),
 * not N² (every track to everyone).
 */
export class PresenceView {
  /** What subscribers of each topic were last told: key → the meta that stands for it. */
  private readonly reported = new Map<string, Map<string, PresenceMeta>>();
  private readonly dirty = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: PresenceRegistry,
    private readonly sendDiff: (
      topic: string,
      diff: { joins: PresenceState; leaves: PresenceState },
    ) => void,
    private readonly flushMs: number,
  ) {}

  /** Keys whose entries changed on a topic: told at the next flush. */
  changed(topic: string, keys: Iterable<string>): void {
    let set = this.dirty.get(topic);
    if (!set) this.dirty.set(topic, (set = new Set()));
    for (const key of keys) set.add(key);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** `presence_state` for a channel that joins now: what its topic's subscribers were told. */
  stateFor(topic: string): PresenceState {
    const state: PresenceState = {};
    for (const [key, meta] of this.reported.get(topic) ?? []) state[key] = { metas: [meta] };
    return state;
  }

  /** Sends what changed since the last flush, one diff per topic. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const dirty = [...this.dirty];
    this.dirty.clear();
    for (const [topic, keys] of dirty) {
      let reported = this.reported.get(topic);
      const joins: PresenceState = {};
      const leaves: PresenceState = {};
      let any = false;
      for (const key of keys) {
        const before = reported?.get(key);
        const now = this.registry.representative(topic, key)?.meta;
        if (before?.phx_ref === now?.phx_ref) continue;
        any = true;
        // A user whose standing entry changes (the oldest tab closed) leaves and joins in one
        // diff: clients apply joins first, so the user never blinks out.
        if (before) leaves[key] = { metas: [before] };
        if (now) {
          joins[key] = { metas: [now] };
          if (!reported) this.reported.set(topic, (reported = new Map<string, PresenceMeta>()));
          reported.set(key, now);
        } else {
          reported?.delete(key);
        }
      }
      if (reported?.size === 0) this.reported.delete(topic);
      if (any) this.sendDiff(topic, { joins, leaves });
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
