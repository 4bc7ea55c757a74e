import "server-only";

import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { Webhook } from "standardwebhooks";
import {
  AddressRefused,
  checkOutboundUrl,
  filteringAgent,
  guardedLookup,
  isAddressRefusal,
  refuseNonPublicHost,
} from "@/server/outbound/address";

/** How long one delivery may take, connecting and answering included. */
const TIMEOUT_MS = 10_000;
/** How much of an answer is read: only its status matters, the rest is drained and dropped. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = "ParleyWebhooks/1.0";

export interface SendRules {
  /** Loopback and private addresses reachable (WEBHOOK_ALLOW_PRIVATE_TARGETS). */
  allowPrivate: boolean;
  timeoutMs?: number;
  /** Name resolution, for tests that point a host name at an address. */
  lookup?: LookupFunction;
}

export interface SignedMessage {
  /** Standard Webhooks' `webhook-id`: the same on every attempt of one event. */
  id: string;
  timestamp: Date;
  body: string;
}

/** What an attempt came to: an answer (any status) or no answer, and whether to try again. */
export type SendOutcome =
  | { kind: "answered"; status: number }
  | { kind: "refused"; error: string }
  | { kind: "unreachable"; error: string };

/** Whether an endpoint's address is one the server would send to (checked before saving). */
export function checkWebhookUrl(url: string): URL {
  return checkOutboundUrl(url, { ports: "any" });
}

/**
 * POSTs one signed message to `url`, the Standard Webhooks way: `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` headers, signed with the endpoint's secret by
 * the reference library. Redirects are not followed (a 3xx is an answer like any other, and
 * not a success), the address is checked as the socket connects, and an answer is read only
 * as far as a bound.
 */
export async function sendSigned(
  url: string,
  secret: string,
  message: SignedMessage,
  rules: SendRules,
): Promise<SendOutcome> {
  let target: URL;
  try {
    target = checkWebhookUrl(url);
    refuseNonPublicHost(target, { allowPrivate: rules.allowPrivate });
  } catch (error) {
    if (error instanceof AddressRefused) return { kind: "refused", error: error.message };
    throw error;
  }
  const signature = new Webhook(secret).sign(message.id, message.timestamp, message.body);
  const headers = {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": message.id,
    "webhook-timestamp": String(Math.floor(message.timestamp.getTime() / 1000)),
    "webhook-signature": signature,
  };
  return new Promise<SendOutcome>((resolve) => {
    const agent = filteringAgent(target, { ports: "any", allowPrivate: rules.allowPrivate });
    const secure = target.protocol === "https:";
    const req = (secure ? https : http).request(target, {
      agent,
      method: "POST",
      headers: { ...headers, "content-length": Buffer.byteLength(message.body) },
      lookup: guardedLookup(rules.lookup),
    });
    const finish = (outcome: SendOutcome) => {
      clearTimeout(timer);
      req.destroy();
      agent.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ kind: "unreachable", error: "timed out" }),
      rules.timeoutMs ?? TIMEOUT_MS,
    );
    req.on("response", (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) finish({ kind: "answered", status });
      });
      response.on("end", () => finish({ kind: "answered", status }));
      response.on("error", () => finish({ kind: "answered", status }));
    });
    req.on("error", (error) => {
      finish(
        isAddressRefusal(error)
          ? { kind: "refused", error: error.message }
          : { kind: "unreachable", error: error.message },
      );
    });
    req.end(message.body);
  });
}
