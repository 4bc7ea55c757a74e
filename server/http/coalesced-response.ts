import "server-only";

import { ServerResponse, type IncomingMessage, type ServerOptions } from "node:http";

/**
 * The HTTP response class of Parley's server: what a response writes during one turn of the
 * event loop leaves in one socket write.
 *
 * Node holds a response's writes only until the next tick. A streamed body — tRPC's batch
 * stream, Next's HTML — is produced over many promise hops, so a 50-message page left as
 * three writes: the head with the first chunk, the rest, then the terminating chunk. Each is
 * a system call, dear on a virtual machine, and a client that has read every result
 * it asked for may stop reading before a late terminating chunk arrives and close the
 * connection instead of reusing it. Held until the turn's I/O callbacks are done
 * (`setImmediate`), the same response is one write; a body that waits for I/O between chunks
 * still streams, each turn's part at the end of that turn.
 *
 * Use it through `coalescingServerOptions`: held writes count against the socket's buffer
 * limit, and at Node's default of 16 KiB a page of messages would report backpressure and
 * wait for a drain — a turn later — before it could end.
 */
export class CoalescedResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  #holding = false;

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    this.#hold();
    return super.write(chunk, encoding as BufferEncoding, callback as () => void);
  }

  override end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
    this.#hold();
    return super.end(chunk, encoding as BufferEncoding, callback as () => void);
  }

  #hold(): void {
    const socket = this.socket;
    if (this.#holding || !socket || socket.destroyed) return;
    this.#holding = true;
    socket.cork();
    setImmediate(() => {
      this.#holding = false;
      socket.uncork();
    });
  }
}

/** Options of `http.createServer` for responses that coalesce their writes. */
export const coalescingServerOptions = {
  ServerResponse: CoalescedResponse,
  // A response up to this size is held for one turn without reporting backpressure.
  highWaterMark: 64 * 1024,
} satisfies ServerOptions<typeof IncomingMessage, typeof CoalescedResponse>;
