import "server-only";

import type { Channel } from "./channel";
import type { GatewayState } from "./gateway-state";
import { asRecord } from "./payload";
import { allowedToSend } from "./send-permission";
import type { InboundFrame } from "./serializer";
import { clientBroadcastEvents, signalRecipient } from "./topics";

/** A client's broadcast on its channel, published through the bus so every instance delivers it. */
export async function clientBroadcast(
  state: Pick<GatewayState, "bus" | "limits">,
  channel: Channel,
  frame: InboundFrame,
): Promise<void> {
  const message = asRecord(frame.payload);
  const event = message.event;
  const ack = channel.options.broadcastAck;
  const refuse = (reason: string) => {
    if (frame.ref !== null) channel.reply(frame.ref, "error", { reason });
    // Without ack supabase-js settles the send as "ok" at once and hears no reply, so the
    // refusal is told on the channel, where `system` listeners see it.
    if (!ack || frame.ref === null) channel.system("error", reason);
  };
  if (typeof event !== "string") {
    refuse("A broadcast needs an event name");
    return;
  }
  const isService = channel.claims.role === "service_role";
  const allowedEvents = clientBroadcastEvents(channel.subTopic);
  if (!isService && !allowedEvents.has(event)) {
    refuse(
      allowedEvents.size === 0
        ? "Unauthorized: clients may not broadcast on this topic"
        : `Unauthorized: clients may only broadcast ${[...allowedEvents].join(", ")} here`,
    );
    return;
  }
  if (!(await allowedToSend(channel, "broadcast"))) {
    refuse(
      `Unauthorized: You do not have permissions to write to this Channel topic: ${channel.subTopic}`,
    );
    return;
  }
  if (frame.unreadable !== undefined) {
    refuse(frame.unreadable);
    return;
  }
  const body = message.payload ?? {};
  if (typeof body !== "object" || Array.isArray(body) || body === null) {
    refuse("A broadcast payload must be an object");
    return;
  }
  if (Buffer.byteLength(JSON.stringify(body)) > state.limits.maxPayloadBytes) {
    refuse("Payload too large");
    return;
  }
  const to = signalRecipient(event, body);
  if (to === null) {
    refuse("A signal names the participant it is for: to (a user id)");
    return;
  }
  // Who sent it is the gateway's to say, never the client's.
  const stamped = isService
    ? body
    : { ...body, userId: channel.userId, name: channel.profile?.name ?? null };
  state.bus.publish({
    kind: "broadcast",
    topic: channel.subTopic,
    event,
    payload: stamped,
    binary: frame.binary,
    ...(to ? { to } : {}),
    originConnection: channel.options.broadcastSelf ? undefined : channel.socket.id,
  });
  if (ack) channel.reply(frame.ref, "ok");
}
