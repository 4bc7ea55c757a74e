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

export function toPresenceState(entries: PresenceEntry[]): PresenceState {
  const state: PresenceState = {};
  for (const { key, meta } of entries) (state[key] ??= { metas: [] }).metas.push(meta);
  return state;
}

export class PresenceRegistry {
  /** topic → phx_ref → entry */
  private readonly topics = new Map<string, Map<string, Stored>>();

  /** Applies a change from `owner`; returns what actually changed (repeats are no-ops). */
  apply(owner: string, topic: string, change: PresenceChange): PresenceChange {
    let entries = this.topics.get(topic);
    const applied: PresenceChange = { joins: [], leaves: [] };
    for (const leave of change.leaves) {
      const stored = entries?.get(leave.meta.phx_ref);
      if (!stored) continue;
      entries?.delete(leave.meta.phx_ref);
      applied.leaves.push({ key: stored.key, meta: stored.meta });
    }
    for (const join of change.joins) {
      if (!entries) {
        entries = new Map();
        this.topics.set(topic, entries);
      }
      if (entries.has(join.meta.phx_ref)) continue;
      entries.set(join.meta.phx_ref, { ...join, owner });
      applied.joins.push(join);
    }
    if (entries?.size === 0) this.topics.delete(topic);
    return applied;
  }

  entries(topic: string): PresenceEntry[] {
    return [...(this.topics.get(topic)?.values() ?? [])].map(({ key, meta }) => ({ key, meta }));
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
