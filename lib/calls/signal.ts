import { z } from "zod";

/**
 * What one participant's browser sends another to set up their connection: session
 * descriptions and trickled ICE candidates. A relay passes these on without reading them, so
 * the receiving browser checks every one against the schema before it touches WebRTC.
 */
export type CallSignal = (
  | { kind: "description"; description: { type: "offer" | "answer"; sdp: string } }
  /** A null candidate is the end of candidates. */
  | { kind: "candidate"; candidate: SignalCandidate | null }
) &
  SignalRoute;

/**
 * Which connection a signal comes from and which it is for. Each side's RTCPeerConnection
 * has an id of its own; a pair that starts over gets new ones, so a signal still on its way
 * for a connection that is gone is recognised and dropped rather than taken for the new one.
 */
export interface SignalRoute {
  /** The sender's connection. */
  connection: string;
  /** The recipient's connection, once the sender knows it (not in a first offer). */
  for: string | null;
}

/** RTCIceCandidateInit with the candidate line required. */
export interface SignalCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** A mid and a ufrag are short tokens (RFC 8839 caps a ufrag at 256 characters). */
const token = z.string().max(256);

/** A connection's id: a short random token. */
const connectionId = z.string().min(8).max(64);
const route = { connection: connectionId, for: connectionId.nullable() };

export const callSignalSchema: z.ZodType<CallSignal> = z.discriminatedUnion("kind", [
  z.strictObject({
    ...route,
    kind: z.literal("description"),
    description: z.strictObject({
      type: z.enum(["offer", "answer"]),
      // A real audio-and-video description is a few kilobytes.
      sdp: z.string().max(64_000),
    }),
  }),
  z.strictObject({
    ...route,
    kind: z.literal("candidate"),
    candidate: z
      .strictObject({
        candidate: z.string().max(2_000),
        sdpMid: token.nullish(),
        sdpMLineIndex: z.number().int().nonnegative().nullish(),
        usernameFragment: token.nullish(),
      })
      .nullable(),
  }),
]);

/**
 * The most a signal's JSON may take, so a relay can refuse a larger one before parsing it:
 * the largest description the schema allows, with room for JSON's escaping of its line breaks
 * (as long as its lines are of an ordinary length).
 */
export const MAX_SIGNAL_BYTES = 70_000;
