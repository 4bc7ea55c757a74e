import "server-only";

import type { RealtimeSink } from "./relay";

interface SupabaseSinkOptions {
  url: string;
  serviceRoleKey: string;
  onError: (error: unknown) => void;
  fetch?: typeof fetch;
}

const MAX_BATCH = 100;

/**
 * Supabase mode: the server's messages go to hosted Realtime through its broadcast REST
 * endpoint, as private messages, with the service role key. Messages published in one tick
 * go out as one request. Hosted Realtime re-checks topic policies itself on join and on
 * every token refresh, so there is nothing to re-authorize here.
 */
export class SupabaseBroadcastSink implements RealtimeSink {
  private pending: { topic: string; event: string; payload: unknown; private: true }[] = [];
  private scheduled = false;

  constructor(private readonly options: SupabaseSinkOptions) {}

  broadcast(topic: string, event: string, payload: object): void {
    this.pending.push({ topic, event, payload, private: true });
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const batch = this.pending;
      this.pending = [];
      for (let i = 0; i < batch.length; i += MAX_BATCH) {
        this.send(batch.slice(i, i + MAX_BATCH)).catch(this.options.onError);
      }
    });
  }

  reauthorize(): void {}

  private async send(messages: unknown[]): Promise<void> {
    const doFetch = this.options.fetch ?? fetch;
    const response = await doFetch(`${this.options.url}/realtime/v1/api/broadcast`, {
      method: "POST",
      headers: {
        apikey: this.options.serviceRoleKey,
        authorization: `Bearer ${this.options.serviceRoleKey}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ messages }),
    });
    if (response.status !== 202 && !response.ok) {
      throw new Error(`Supabase broadcast failed: ${response.status} ${await response.text()}`);
    }
  }
}
