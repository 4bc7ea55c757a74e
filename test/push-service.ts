import { createECDH, randomBytes, randomUUID, type ECDH } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import ece from "http_ece";

/** One push the stand-in received, decrypted. */
export interface ReceivedPush {
  subscription: string;
  headers: IncomingHttpHeaders;
  /** The payload as the browser would read it (`event.data.json()`). */
  payload: unknown;
}

export interface PushServiceStandIn {
  /** A browser's subscription on this push service: endpoint and keys, as `toJSON()` gives. */
  subscribe(): { endpoint: string; keys: { p256dh: string; auth: string } };
  /** Answer pushes to this subscription with `status` from now on (410: gone, 500: failing). */
  answer(endpoint: string, status: number): void;
  received: ReceivedPush[];
  /** Statuses answered, in order, for pushes that did not decrypt or were refused. */
  refused: { subscription: string; status: number }[];
  close(): Promise<void>;
}

/**
 * A push service on loopback, as Chrome's or Firefox's would be to the server: it keeps each
 * subscription's private key and auth secret, checks the request has a VAPID Authorization
 * and the RFC 8291 `aes128gcm` encoding, decrypts the payload as a browser would and records
 * it. Answers 201 unless told otherwise.
 */
export async function startPushServiceStandIn(): Promise<PushServiceStandIn> {
  const keys = new Map<string, { ecdh: ECDH; auth: Buffer }>();
  const statuses = new Map<string, number>();
  const received: ReceivedPush[] = [];
  const refused: { subscription: string; status: number }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const id = req.url?.split("/").at(-1) ?? "";
      const subscriber = keys.get(id);
      const answer = statuses.get(id);
      const reject = (status: number) => {
        refused.push({ subscription: id, status });
        res.writeHead(status).end();
      };
      if (!subscriber) return reject(404);
      if (answer !== undefined && answer >= 300) return reject(answer);
      if (
        req.method !== "POST" ||
        req.headers["content-encoding"] !== "aes128gcm" ||
        !/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/.test(req.headers.authorization ?? "") ||
        !req.headers.ttl
      ) {
        return reject(400);
      }
      try {
        const plain = ece.decrypt(Buffer.concat(chunks), {
          version: "aes128gcm",
          privateKey: subscriber.ecdh,
          authSecret: subscriber.auth.toString("base64url"),
        });
        received.push({
          subscription: id,
          headers: req.headers,
          payload: JSON.parse(plain.toString("utf8")),
        });
      } catch {
        return reject(400);
      }
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    subscribe() {
      const id = randomUUID();
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16);
      keys.set(id, { ecdh, auth });
      return {
        endpoint: `${base}/push/${id}`,
        keys: {
          p256dh: ecdh.getPublicKey().toString("base64url"),
          auth: auth.toString("base64url"),
        },
      };
    },
    answer(endpoint, status) {
      statuses.set(endpoint.split("/").at(-1) ?? "", status);
    },
    received,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
