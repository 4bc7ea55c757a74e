import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

export const REALTIME_PATH = "/realtime/v1/websocket";

/**
 * WebSocket upgrades for `/realtime/v1/websocket`. Until the gateway is served here, the
 * handshake is refused with 503 so clients back off and retry instead of hanging.
 */
export function handleRealtimeUpgrade(_req: IncomingMessage, socket: Duplex, _head: Buffer): void {
  const body = "Realtime gateway is not available\n";
  socket.end(
    "HTTP/1.1 503 Service Unavailable\r\n" +
      "Connection: close\r\n" +
      "Content-Type: text/plain; charset=utf-8\r\n" +
      "Retry-After: 30\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
