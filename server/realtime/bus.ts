import "server-only";

import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { queryRows } from "@/db/rows";
import type { PresenceChange, PresenceEntry } from "./presence";

/**
 * What gateway instances tell each other. A single instance keeps it in process; several on
 * one server Postgres relay it through LISTEN/NOTIFY.
 */
export type BusMessage =
  | {
      kind: "broadcast";
      topic: string;
      event: string;
      payload: unknown;
      /** Arrived as a binary frame: goes out as one to vsn 2.0.0 clients. */
      binary: boolean;
      /** Only this user's channels hear it (a call's signal). */
      to?: string;
      /** The sending connection (same instance only), for `self: false`. */
      originConnection?: number;
    }
  | { kind: "presence"; topic: string; change: PresenceChange }
  /** Re-check who may stay on a topic (membership changed). */
  | { kind: "reauthorize"; topic: string; userIds: string[] | null }
  /** A new instance asks the others for their presence. */
  | { kind: "hello" }
  | { kind: "presence-snapshot"; topics: { topic: string; entries: PresenceEntry[] }[] }
  | { kind: "alive" }
  | { kind: "bye" };

export type BusHandler = (message: BusMessage, from: string) => void;

export interface RealtimeBus {
  readonly instanceId: string;
  /** True when other instances may be listening. */
  readonly distributed: boolean;
  /** Delivers to this instance at once, and to the others when distributed. */
  publish(message: BusMessage): void;
  setHandler(handler: BusHandler): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

export class LocalBus implements RealtimeBus {
  readonly instanceId = randomUUID();
  readonly distributed = false;
  private handler: BusHandler = () => {};

  publish(message: BusMessage): void {
    this.handler(message, this.instanceId);
  }
  setHandler(handler: BusHandler): void {
    this.handler = handler;
  }
  async start(): Promise<void> {}
  async close(): Promise<void> {}
}

const CHANNEL = "parley_realtime";
// NOTIFY payloads must stay under 8,000 bytes; larger messages go through realtime_outbox.
const NOTIFY_LIMIT = 7_000;
const OUTBOX_TTL = "1 minute";

interface Envelope {
  from: string;
  /** One message (as instances before batching sent them). */
  message?: BusMessage;
  /** Messages published while the previous NOTIFY was in flight, in order. */
  messages?: BusMessage[];
  /** realtime_outbox id of a batch (or one message) too large to notify. */
  outbox?: number;
}

/** Several instances on one Postgres: every message is also NOTIFY'd to the others. */
export class PostgresBus implements RealtimeBus {
  readonly instanceId = randomUUID();
  readonly distributed = true;
  private handler: BusHandler = () => {};
  private unlisten: (() => Promise<void>) | undefined;
  // Sends and receives each go one at a time, so every instance sees one order per sender.
  private sending: Promise<void> = Promise.resolve();
  // Published while a NOTIFY is in flight: they go out together in the next one. Every NOTIFY
  // is a transaction that takes a global lock at commit, so under load this turns one per
  // message into one per round trip.
  private pending: BusMessage[] = [];
  private receiving: Promise<void> = Promise.resolve();
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly onError: (error: unknown) => void,
  ) {}

  publish(message: BusMessage): void {
    this.handler(message, this.instanceId);
    // The sending connection means nothing elsewhere.
    const remote =
      message.kind === "broadcast" ? { ...message, originConnection: undefined } : message;
    this.pending.push(remote);
    if (this.pending.length === 1) {
      this.sending = this.sending.then(() => this.sendPending()).catch(this.onError);
    }
  }

  private sendPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    return this.send(batch);
  }

  setHandler(handler: BusHandler): void {
    this.handler = handler;
  }

  async start(): Promise<void> {
    this.unlisten = await this.handle.listen(CHANNEL, (payload) => {
      this.receiving = this.receiving.then(() => this.receive(payload)).catch(this.onError);
    });
    this.purgeTimer = setInterval(() => {
      this.handle.db
        .execute(
          sql`delete from public.realtime_outbox where "createdAt" < now() - ${OUTBOX_TTL}::interval`,
        )
        .catch(this.onError);
    }, 60_000);
    this.purgeTimer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.sending;
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  private async send(messages: BusMessage[]): Promise<void> {
    let text = JSON.stringify({ from: this.instanceId, messages } satisfies Envelope);
    if (Buffer.byteLength(text) > NOTIFY_LIMIT) {
      const [row] = await queryRows<{ id: number }>(
        this.handle.db,
        sql`insert into public.realtime_outbox (payload) values (${JSON.stringify(messages)}) returning id::int as id`,
      );
      if (!row) return;
      text = JSON.stringify({ from: this.instanceId, outbox: row.id } satisfies Envelope);
    }
    await this.handle.db.execute(sql`select pg_notify(${CHANNEL}, ${text})`);
  }

  private async receive(payload: string): Promise<void> {
    const envelope = JSON.parse(payload) as Envelope;
    if (envelope.from === this.instanceId) return;
    let messages = envelope.messages ?? (envelope.message ? [envelope.message] : []);
    if (envelope.outbox !== undefined) {
      const [row] = await queryRows<{ payload: string }>(
        this.handle.db,
        sql`select payload from public.realtime_outbox where id = ${envelope.outbox}`,
      );
      if (!row) return;
      const stored = JSON.parse(row.payload) as BusMessage | BusMessage[];
      messages = Array.isArray(stored) ? stored : [stored];
    }
    for (const message of messages) this.handler(message, envelope.from);
  }
}
