import "server-only";

/**
 * Presence state for every topic, across instances. Each entry is one tracked channel: a
 * key (the user id) and a meta with a unique `phx_ref`. Entries remember the instance that
 * owns them so an instance that goes away takes its entries with it.
 */
export type PresenceMeta = Record<string, unknown> & { phx_ref: string };

export interface PresenceEntry {
  key: string;
  meta: PresenceMeta;
}

/** The wire shape of presence_state and of each half of presence_diff. */
export type PresenceState = Record<string, { metas: PresenceMeta[] }>;

interface Stored extends PresenceEntry {
  owner: string;
}

export interface PresenceChange {
  joins: PresenceEntry[];
  leaves: PresenceEntry[];
}

export class PresenceRegistry {
  /** topic → phx_ref → entry */
  private readonly topics = new Map<string, Map<string, Stored>>();
  /** topic → key → that key's entries by phx_ref (a user's tabs) */
  private readonly keys = new Map<string, Map<string, Map<string, Stored>>>();

  /**
   * The entry that stands for `key` on a topic, however many it has: the oldest (by when it
   * came online, then by ref), so every instance picks the same one.
   */
  representative(topic: string, key: string): PresenceEntry | undefined {
    let best: Stored | undefined;
    for (const entry of this.keys.get(topic)?.get(key)?.values() ?? []) {
      if (!best || compareEntries(entry, best) < 0) best = entry;
    }
    return best && { key: best.key, meta: best.meta };
  }

  /** Whether `key` is present on any topic `topicMatches` accepts. */
  present(key: string, topicMatches: (topic: string) => boolean): boolean {
    for (const [topic, byKey] of this.keys) {
      if (byKey.has(key) && topicMatches(topic)) return true;
    }
    return false;
  }

  /** Every key present on a topic. */
  keysOf(topic: string): Iterable<string> {
    return this.keys.get(topic)?.keys() ?? [];
  }

  private index(topic: string, entry: Stored): void {
    let byKey = this.keys.get(topic);
    if (!byKey) this.keys.set(topic, (byKey = new Map<string, Map<string, Stored>>()));
    let refs = byKey.get(entry.key);
    if (!refs) byKey.set(entry.key, (refs = new Map<string, Stored>()));
    refs.set(entry.meta.phx_ref, entry);
  }

  private unindex(topic: string, entry: Stored): void {
    const byKey = this.keys.get(topic);
    const refs = byKey?.get(entry.key);
    refs?.delete(entry.meta.phx_ref);
    if (refs?.size === 0) byKey?.delete(entry.key);
    if (byKey?.size === 0) this.keys.delete(topic);
  }

  /** Applies a change from `owner`; returns what actually changed (repeats are no-ops). */
  apply(owner: string, topic: string, change: PresenceChange): PresenceChange {
    let entries = this.topics.get(topic);
    const applied: PresenceChange = { joins: [], leaves: [] };
    for (const leave of change.leaves) {
      const stored = entries?.get(leave.meta.phx_ref);
      if (!stored) continue;
      entries?.delete(leave.meta.phx_ref);
      this.unindex(topic, stored);
      applied.leaves.push({ key: stored.key, meta: stored.meta });
    }
    for (const join of change.joins) {
      if (!entries) {
        entries = new Map();
        this.topics.set(topic, entries);
      }
      if (entries.has(join.meta.phx_ref)) continue;
      const stored = { ...join, owner };
      entries.set(join.meta.phx_ref, stored);
      this.index(topic, stored);
      applied.joins.push(join);
    }
    if (entries?.size === 0) this.topics.delete(topic);
    return applied;
  }

  /** Everything one instance owns, by topic (what it tells a newcomer). */
  ownedBy(owner: string): { topic: string; entries: PresenceEntry[] }[] {
    const result: { topic: string; entries: PresenceEntry[] }[] = [];
    for (const [topic, entries] of this.topics) {
      const owned = [...entries.values()]
        .filter((e) => e.owner === owner)
        .map(({ key, meta }) => ({ key, meta }));
      if (owned.length) result.push({ topic, entries: owned });
    }
    return result;
  }

  owners(): Set<string> {
    const owners = new Set<string>();
    for (const entries of this.topics.values())
      for (const e of entries.values()) owners.add(e.owner);
    return owners;
  }

  /** Removes every entry of an instance that is gone; returns the leaves by topic. */
  dropOwner(owner: string): { topic: string; change: PresenceChange }[] {
    return this.ownedBy(owner).map(({ topic, entries }) => ({
      topic,
      change: this.apply(owner, topic, { joins: [], leaves: entries }),
    }));
  }
}

function compareEntries(a: PresenceEntry, b: PresenceEntry): number {
  const at = typeof a.meta.onlineAt === "string" ? a.meta.onlineAt : "";
  const bt = typeof b.meta.onlineAt === "string" ? b.meta.onlineAt : "";
  if (at !== bt) return at < bt ? -1 : 1;
  return a.meta.phx_ref < b.meta.phx_ref ? -1 : a.meta.phx_ref > b.meta.phx_ref ? 1 : 0;
}
