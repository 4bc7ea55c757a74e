import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpHandler } from "@/server/http/handler";

export interface HttpTestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/**
 * Parley's HTTP layer on a real server on an ephemeral port, as `server/main.ts` serves it,
 * with no realtime gateway and no Next behind it (anything the layer does not serve is 404).
 */
export async function startHttpTestServer(): Promise<HttpTestServer> {
  const server = createServer(
    createHttpHandler({
      realtimeGateway: undefined,
      fallback: (_req, res) => void res.writeHead(404).end(),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
