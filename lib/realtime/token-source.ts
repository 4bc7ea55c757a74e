export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export interface TokenSourceOptions {
  /** Fetch a new token this long before the cached one expires. */
  refreshBeforeMs?: number;
  now?: () => number;
}

/**
 * The `accessToken` callback for supabase-js. realtime-js calls it on connect, after each
 * join and on every heartbeat (25 s), and pushes the result to the server whenever it
 * changes, so returning the cached token until shortly before expiry is what keeps channels
 * open without asking the server for a token every heartbeat.
 */
export function createTokenSource(
  fetchToken: () => Promise<IssuedToken>,
  options: TokenSourceOptions = {},
): () => Promise<string> {
  const refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
  const now = options.now ?? Date.now;
  let cached: IssuedToken | undefined;
  let inFlight: Promise<IssuedToken> | undefined;

  return async () => {
    if (cached && now() < cached.expiresAt.getTime() - refreshBeforeMs) return cached.token;
    // Connect, join and heartbeat can ask at once: one request serves them all.
    inFlight ??= fetchToken().finally(() => {
      inFlight = undefined;
    });
    try {
      cached = await inFlight;
    } catch (error) {
      // A blip while refreshing: a token that still works beats none (realtime-js would
      // otherwise keep its old value anyway).
      if (cached && now() < cached.expiresAt.getTime()) return cached.token;
      throw error;
    }
    return cached.token;
  };
}
