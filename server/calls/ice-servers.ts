import "server-only";

import { createHmac } from "node:crypto";
import type { IceServers } from "@/contracts/calls";
import { env, type Env } from "@/server/env";

/**
 * The ICE servers a browser is given for a call. TURN credentials are minted per user with
 * the shared-secret scheme coturn implements (`use-auth-secret`, the "REST API for access to
 * TURN services"): the username is the expiry time and the user's id, the password the
 * base64 HMAC-SHA1 of the username under the secret, so the TURN server checks them without
 * asking Parley, and they stop working on their own.
 */
export function iceServersFor(
  userId: string,
  config: Env["calls"] = env.calls,
  now: number = Date.now(),
): IceServers {
  const servers: IceServers["iceServers"] = config.iceServers.map((s) => ({
    urls: typeof s.urls === "string" ? [s.urls] : s.urls,
    ...(s.username === undefined ? {} : { username: s.username }),
    ...(s.credential === undefined ? {} : { credential: s.credential }),
  }));
  if (config.stunUrls.length > 0) servers.push({ urls: config.stunUrls });
  if (!config.turn) return { iceServers: servers, ttlSeconds: null };
  const expires = Math.floor(now / 1000) + config.turn.ttlSeconds;
  const username = `${expires}:${userId}`;
  const credential = createHmac("sha1", config.turn.secret).update(username).digest("base64");
  servers.push({ urls: config.turn.urls, username, credential });
  return { iceServers: servers, ttlSeconds: config.turn.ttlSeconds };
}
