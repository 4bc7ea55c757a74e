import "server-only";

import { canSend } from "./authorize";
import type { Channel } from "./channel";

/** Whether a channel may write with an extension, asked of the database once per join. */
export async function allowedToSend(
  channel: Channel,
  extension: "broadcast" | "presence",
): Promise<boolean> {
  let allowed = channel.sendAllowed.get(extension);
  if (allowed === undefined) {
    allowed = await canSend(channel.claims, channel.subTopic, extension);
    channel.sendAllowed.set(extension, allowed);
  }
  return allowed;
}
