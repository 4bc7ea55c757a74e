import "server-only";

import { canJoin, loadProfile } from "./authorize";
import { Channel } from "./channel";
import type { Connection } from "./connection";
import type { GatewayState } from "./gateway-state";
import { asRecord, truthy } from "./payload";
import { parseBindings } from "./postgres-changes";
import type { InboundFrame } from "./serializer";
import { armExpiry } from "./token-expiry";
import { isPublishableKey, verifyRealtimeToken, type TokenCheck } from "./tokens";
import { fromWireTopic } from "./topics";

/** `phx_join`: every check is made before the channel exists, so a refusal leaves nothing. */
export async function join(
  state: Pick<
    GatewayState,
    "limits" | "channels" | "presenceView" | "changes" | "sockets" | "refusalHold" | "updateCapture"
  >,
  connection: Connection,
  frame: InboundFrame,
): Promise<void> {
  const joinError = (reason: string) =>
    connection.send({
      joinRef: frame.joinRef,
      ref: frame.ref,
      topic: frame.topic,
      event: "phx_reply",
      payload: { status: "error", response: { reason } },
    });
  const subTopic = fromWireTopic(frame.topic);
  if (subTopic === null) {
    joinError(`TopicNotFound: topics start with realtime:`);
    return;
  }
  // Refusals for being over a limit are held a moment, as a 429 is: a client that rejoins
  // at once is slowed to a few tries a second.
  const overLimit = async (reason: string) => {
    await state.refusalHold.pause(connection.address);
    joinError(reason);
  };
  if (!connection.allowJoin()) {
    await overLimit("ChannelRateLimitReached: Too many joins, try again in a minute");
    return;
  }
  const payload = asRecord(frame.payload);
  const config = asRecord(payload.config);
  const existing = connection.channels.get(frame.topic);
  if (!existing && connection.channels.size >= state.limits.maxChannels) {
    await overLimit("ChannelRateLimitReached: Too many channels");
    return;
  }
  const check = await channelClaims(connection, payload.access_token ?? payload.user_token);
  if (!check.ok) {
    joinError(`InvalidJWTToken: ${check.reason}`);
    return;
  }
  // Before anything is asked of the database: a user over their sockets costs one check.
  if (check.claims.sub && !state.sockets.admitUser(connection, check.claims.sub)) {
    await overLimit("ConnectionRateLimitReached: Too many connections for this user");
    return;
  }
  if (!truthy(config.private)) {
    joinError(`PrivateOnly: only private channels are served; join ${subTopic} with private: true`);
    return;
  }
  if (!(await canJoin(check.claims, subTopic))) {
    joinError(
      `Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`,
    );
    return;
  }
  const bindings = await parseBindings(config.postgres_changes, state.changes.columnsOf);
  const broadcast = asRecord(config.broadcast);
  const presence = asRecord(config.presence);
  const profile = check.claims.sub ? await loadProfile(check.claims.sub) : null;
  // The socket may have gone while the database answered.
  if (connection.closed) return;

  // A second join of a topic replaces the first (Phoenix closes the old one).
  if (existing) state.channels.close(existing);
  const channel = new Channel(
    connection,
    frame.topic,
    subTopic,
    frame.joinRef,
    check.claims,
    {
      broadcastSelf: truthy(broadcast.self),
      broadcastAck: truthy(broadcast.ack),
      presenceEnabled: truthy(presence.enabled),
    },
    profile,
  );
  channel.changeSubscriptions = bindings.subscriptions;
  state.channels.add(connection, channel);
  // The triggers must be notifying before the client hears it is subscribed.
  if (bindings.subscriptions.length) await state.updateCapture();
  armExpiry(state.channels, channel);

  channel.reply(frame.ref, "ok", { postgres_changes: bindings.reply });
  if (bindings.reply.length) {
    if (bindings.subscriptions.length) {
      channel.system("ok", "Subscribed to PostgreSQL", "postgres_changes");
    }
    for (const reason of bindings.errors) {
      channel.system(
        "error",
        `Unable to subscribe to changes with given parameters: ${reason}`,
        "postgres_changes",
      );
    }
  }
  if (channel.options.presenceEnabled) {
    channel.push("presence_state", state.presenceView.stateFor(subTopic));
  }
}

/** The token a channel uses: its own, else the connection's (`sb_` keys mean none). */
async function channelClaims(connection: Connection, token: unknown): Promise<TokenCheck> {
  if (typeof token === "string" && token !== "" && !isPublishableKey(token)) {
    return verifyRealtimeToken(token);
  }
  return { ok: true, claims: connection.connectClaims };
}
