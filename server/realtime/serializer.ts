import "server-only";

/**
 * Phoenix channel frames as realtime-js speaks them.
 *
 * vsn 1.0.0: JSON objects `{topic, event, payload, ref, join_ref}`.
 * vsn 2.0.0: JSON arrays `[join_ref, ref, topic, event, payload]`, plus binary frames: kind 3
 * (client → server "user broadcast push") in, kind 4 ("user broadcast") out. The client's
 * decoder knows no other binary kind, so nothing else is ever sent as binary.
 */
export type Vsn = "1.0.0" | "2.0.0";

export interface Frame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A decoded frame, with how it arrived (a binary broadcast goes back out as binary). */
export interface InboundFrame extends Frame {
  binary: boolean;
  /**
   * Why a kind-3 broadcast's user payload cannot be carried (raw bytes, or JSON that does not
   * parse) although its header could be read: the frame still reaches its channel, which
   * refuses it under its ref rather than losing it here.
   */
  unreadable?: string;
}

export class ProtocolError extends Error {}

export function parseVsn(value: string | null): Vsn | null {
  if (value === null || value === "" || value.startsWith("1.")) return "1.0.0";
  if (value.startsWith("2.")) return "2.0.0";
  return null;
}

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;
const ENCODING_JSON = 1;

const asRef = (value: unknown): string | null =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : null;

function fromParts(
  joinRef: unknown,
  ref: unknown,
  topic: unknown,
  event: unknown,
  payload: unknown,
) {
  if (typeof topic !== "string" || typeof event !== "string") {
    throw new ProtocolError("frame needs a string topic and event");
  }
  return { joinRef: asRef(joinRef), ref: asRef(ref), topic, event, payload: payload ?? {} };
}

function decodeUserBroadcastPush(data: Buffer): InboundFrame {
  if (data.length < 7) throw new ProtocolError("binary frame too short");
  const [joinRefLen, refLen, topicLen, eventLen, metaLen, encoding] = [1, 2, 3, 4, 5, 6].map(
    (i) => data[i] ?? 0,
  ) as [number, number, number, number, number, number];
  let offset = 7;
  const take = (length: number) => {
    if (offset + length > data.length) throw new ProtocolError("binary frame truncated");
    const part = data.subarray(offset, offset + length);
    offset += length;
    return part;
  };
  const joinRef = take(joinRefLen).toString("utf8");
  const ref = take(refLen).toString("utf8");
  const topic = take(topicLen).toString("utf8");
  const userEvent = take(eventLen).toString("utf8");
  const metadata = take(metaLen).toString("utf8");
  const body = data.subarray(offset);
  const frame = {
    joinRef: joinRef || null,
    ref: ref || null,
    topic,
    event: "broadcast",
    binary: true,
  };
  if (encoding !== ENCODING_JSON) {
    // Who sent a broadcast is written into its payload, and a signal is routed by the `to` in
    // it: neither can be done to opaque bytes.
    return {
      ...frame,
      payload: { type: "broadcast", event: userEvent },
      unreadable: "Binary payloads are not accepted: broadcast a JSON object",
    };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString("utf8"));
    // The only metadata key is `persist` (replay storage), which Parley does not offer.
    if (metadata) JSON.parse(metadata);
  } catch {
    return {
      ...frame,
      payload: { type: "broadcast", event: userEvent },
      unreadable: "A broadcast payload must be valid JSON",
    };
  }
  return { ...frame, payload: { type: "broadcast", event: userEvent, payload } };
}

export function decodeFrame(data: Buffer, isBinary: boolean, vsn: Vsn): InboundFrame {
  if (isBinary) {
    if (vsn !== "2.0.0" || data[0] !== KIND_USER_BROADCAST_PUSH) {
      throw new ProtocolError("unsupported binary frame");
    }
    return decodeUserBroadcastPush(data);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString("utf8"));
  } catch {
    throw new ProtocolError("frame is not valid JSON");
  }
  if (vsn === "2.0.0") {
    if (!Array.isArray(parsed) || parsed.length !== 5) {
      throw new ProtocolError("a vsn 2.0.0 text frame is a five-element array");
    }
    const [joinRef, ref, topic, event, payload] = parsed as unknown[];
    return { ...fromParts(joinRef, ref, topic, event, payload), binary: false };
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ProtocolError("a vsn 1.0.0 frame is a JSON object");
  }
  const o = parsed as Record<string, unknown>;
  return { ...fromParts(o.join_ref, o.ref, o.topic, o.event, o.payload), binary: false };
}

export function encodeFrame(frame: Frame, vsn: Vsn): string {
  if (vsn === "2.0.0") {
    return JSON.stringify([frame.joinRef, frame.ref, frame.topic, frame.event, frame.payload]);
  }
  return JSON.stringify({
    topic: frame.topic,
    event: frame.event,
    payload: frame.payload,
    ref: frame.ref,
    join_ref: frame.joinRef,
  });
}

/** A server → client broadcast as a kind-4 binary frame (vsn 2.0.0 only). */
export function encodeUserBroadcast(topic: string, userEvent: string, payload: unknown): Buffer {
  const topicBytes = Buffer.from(topic, "utf8");
  const eventBytes = Buffer.from(userEvent, "utf8");
  if (topicBytes.length > 255 || eventBytes.length > 255) {
    throw new ProtocolError("topic and event must be at most 255 bytes");
  }
  const header = Buffer.from([KIND_USER_BROADCAST, topicBytes.length, eventBytes.length, 0, 1]);
  return Buffer.concat([header, topicBytes, eventBytes, Buffer.from(JSON.stringify(payload))]);
}

/**
 * One broadcast on its way to every subscriber of a topic, encoded at most once per protocol
 * version. Nothing in the frame depends on the socket but its vsn, so a hundred subscribers
 * share one encoding (and one buffer, which `ws` writes without copying) instead of each
 * socket stringifying the payload again.
 */
export class OutgoingBroadcast {
  private readonly encoded = new Map<Vsn, { data: Buffer; binary: boolean }>();

  constructor(
    /** The wire topic, `realtime:chat:…`. */
    readonly topic: string,
    readonly event: string,
    readonly payload: unknown,
    /** Whether it arrived as a binary user broadcast (kept binary for vsn 2.0.0 sockets). */
    readonly binary: boolean,
  ) {}

  encodedFor(vsn: Vsn): { data: Buffer; binary: boolean } {
    let encoded = this.encoded.get(vsn);
    if (!encoded) {
      encoded =
        this.binary && vsn === "2.0.0"
          ? { data: encodeUserBroadcast(this.topic, this.event, this.payload), binary: true }
          : {
              data: Buffer.from(
                encodeFrame(
                  {
                    joinRef: null,
                    ref: null,
                    topic: this.topic,
                    event: "broadcast",
                    payload: { type: "broadcast", event: this.event, payload: this.payload },
                  },
                  vsn,
                ),
              ),
              binary: false,
            };
      this.encoded.set(vsn, encoded);
    }
    return encoded;
  }
}
