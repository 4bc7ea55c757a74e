import { z } from "zod";

/**
 * What one participant's browser sends another to set up their connection: session
 * descriptions and trickled ICE candidates. A relay passes these on without reading them, so
 * the receiving browser checks every one against the schema before it touches WebRTC.
 */
export type CallSignal =
  | { kind: "description"; description: { type: "offer" | "answer"; sdp: string } }
  /** A null candidate is the end of candidates. */
  | { kind: "candidate"; candidate: SignalCandidate | null };

/** RTCIceCandidateInit with the candidate line required. */
export interface SignalCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** A mid and a ufrag are short tokens (RFC 8839 caps a ufrag at 256 characters). */
const token = z.string().max(256);

export const callSignalSchema: z.ZodType<CallSignal> = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("description"),
    description: z.strictObject({
      type: z.enum(["offer", "answer"]),
      // A real audio-and-video description is a few kilobytes.
      sdp: z.string().max(64_000),
    }),
  }),
  z.strictObject({
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
