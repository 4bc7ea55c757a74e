import "server-only";

import type { ConnectionState, HealthSample } from "@/contracts/admin-health";

/** One sample a minute, six hours of them: enough to see a queue grow or drain. */
export const SAMPLE_EVERY_MS = 60_000;
export const SAMPLES_KEPT = 360;

/** What the realtime gateway of this process says of itself. */
export interface GatewayStats {
  connections: number;
  channels: number;
  topics: number;
}

/**
 * What only the Node entry's module graph can answer: its gateway and its audit buffer. A
 * server component renders in Next's own copy of the server modules, where both would read as
 * empty, so the entry hands them over here (server/health/sampler.ts).
 */
export interface HealthSources {
  gateway?: () => GatewayStats;
  auditPending?: () => number;
}

interface HealthState {
  samples: HealthSample[];
  sources: HealthSources;
}

// On globalThis, like the database handle (db/client.ts): both copies of this module must
// see the one ring and the entry's sources.
const STATE = Symbol.for("parley.health");
type GlobalWithHealth = typeof globalThis & { [STATE]?: HealthState };

function state(): HealthState {
  const store = globalThis as GlobalWithHealth;
  store[STATE] ??= { samples: [], sources: {} };
  return store[STATE];
}

export function setHealthSources(sources: HealthSources): void {
  state().sources = sources;
}

export function healthSources(): HealthSources {
  return state().sources;
}

/**
 * Appends a sample unless the newest is less than `minGapMs` older (an admin reading the page
 * adds one, but a refresh every few seconds must not crowd out the minute samples).
 */
export function recordHealthSample(sample: HealthSample, minGapMs = 0): boolean {
  const { samples } = state();
  const newest = samples.at(-1);
  if (newest && sample.at.getTime() - newest.at.getTime() < minGapMs) return false;
  samples.push(sample);
  if (samples.length > SAMPLES_KEPT) samples.splice(0, samples.length - SAMPLES_KEPT);
  return true;
}

/** The samples kept, oldest first. */
export function healthSamples(): HealthSample[] {
  return [...state().samples];
}

/** Tests: an empty ring and no sources. */
export function resetHealthForTests(): void {
  const current = state();
  current.samples = [];
  current.sources = {};
}

/** One sample from the database's figures and this process's own. */
export function sampleOf(
  at: Date,
  connections: readonly Pick<ConnectionState, "state" | "connections">[],
  queuedJobs: number,
  sources: HealthSources,
): HealthSample {
  const inState = (test: (state: string) => boolean) =>
    connections.filter((c) => test(c.state)).reduce((n, c) => n + c.connections, 0);
  const gateway = sources.gateway?.();
  return {
    at,
    active: inState((s) => s === "active"),
    idle: inState((s) => s === "idle"),
    idleInTransaction: inState((s) => s.startsWith("idle in transaction")),
    realtimeConnections: gateway?.connections ?? null,
    realtimeChannels: gateway?.channels ?? null,
    queuedJobs,
    auditPending: sources.auditPending?.() ?? null,
  };
}
