import { describe, expect, it } from "vitest";
import { callSignalSchema, MAX_SIGNAL_BYTES } from "./signal";

/** Chrome's offer for one audio and one video transceiver, shortened to its shape. */
const offerSdp = [
  "v=0",
  "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "a=group:BUNDLE 0 1",
  "a=extmap-allow-mixed",
  "a=msid-semantic: WMS",
  "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
  "c=IN IP4 0.0.0.0",
  "a=rtcp:9 IN IP4 0.0.0.0",
  "a=ice-ufrag:9XkP",
  "a=ice-pwd:Zb6m5tyKSWxLyHKMsm4y3qJV",
  "a=ice-options:trickle",
  "a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
  "a=setup:actpass",
  "a=mid:0",
  "a=sendrecv",
  "a=msid:- 7b6a2c1e-3f5d-4d0a-9a55-1f0e8c2b7d41",
  "a=rtcp-mux",
  "a=rtpmap:111 opus/48000/2",
  "a=fmtp:111 minptime=10;useinbandfec=1",
  "a=ssrc:3735928559 cname:Kx7Q2nV0bM1cZr8T",
  "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
  "c=IN IP4 0.0.0.0",
  "a=mid:1",
  "a=sendrecv",
  "a=rtpmap:96 VP8/90000",
  "a=rtcp-fb:96 nack pli",
  "a=rtpmap:97 rtx/90000",
  "a=fmtp:97 apt=96",
  "",
].join("\r\n");

const candidateLine =
  "candidate:842163049 1 udp 1677729535 203.0.113.7 52734 typ srflx raddr 192.168.1.23 rport 52734 generation 0 ufrag 9XkP network-cost 999";

const route = { connection: "c0nnecti0n-a", for: "c0nnecti0n-b" };
const description = (type: string, sdp: string) => ({
  ...route,
  kind: "description",
  description: { type, sdp },
});
const candidate = (fields: Record<string, unknown> | null) => ({
  ...route,
  kind: "candidate",
  candidate: fields,
});

describe("callSignalSchema", () => {
  it("takes offers and answers", () => {
    expect(callSignalSchema.parse(description("offer", offerSdp))).toEqual(
      description("offer", offerSdp),
    );
    const answerSdp = offerSdp.replace("a=setup:actpass", "a=setup:active");
    expect(callSignalSchema.safeParse(description("answer", answerSdp)).success).toBe(true);
  });

  it("takes candidates as browsers write them, the end-of-candidates marker and null", () => {
    const full = {
      candidate: candidateLine,
      sdpMid: "0",
      sdpMLineIndex: 0,
      usernameFragment: "9XkP",
    };
    expect(callSignalSchema.parse(candidate(full))).toEqual(candidate(full));
    for (const fields of [
      { candidate: candidateLine, sdpMid: "1" },
      { candidate: candidateLine, sdpMid: null, sdpMLineIndex: 1, usernameFragment: null },
      { candidate: "", sdpMid: "0", sdpMLineIndex: 0 },
      null,
    ]) {
      expect(callSignalSchema.safeParse(candidate(fields)).success).toBe(true);
    }
  });

  it("refuses keys it does not know, at every level", () => {
    for (const signal of [
      { ...description("offer", offerSdp), from: "someone" },
      { kind: "description", description: { type: "offer", sdp: offerSdp, extra: 1 } },
      candidate({ candidate: candidateLine, sdpMid: "0", foundation: "842163049" }),
      { ...candidate(null), description: { type: "offer", sdp: offerSdp } },
    ]) {
      expect(callSignalSchema.safeParse(signal).success).toBe(false);
    }
  });

  it("refuses other kinds and description types, and missing parts", () => {
    for (const signal of [
      { kind: "hangup" },
      { kind: "description" },
      description("pranswer", offerSdp),
      description("rollback", ""),
      { kind: "candidate" },
      candidate({ sdpMid: "0" }),
      candidate({ candidate: candidateLine, sdpMLineIndex: -1 }),
      candidate({ candidate: candidateLine, sdpMLineIndex: 0.5 }),
      null,
      "offer",
    ]) {
      expect(callSignalSchema.safeParse(signal).success).toBe(false);
    }
  });

  it("refuses an oversized description or candidate", () => {
    expect(callSignalSchema.safeParse(description("offer", "a".repeat(64_000))).success).toBe(true);
    expect(callSignalSchema.safeParse(description("offer", "a".repeat(64_001))).success).toBe(
      false,
    );
    expect(callSignalSchema.safeParse(candidate({ candidate: "c".repeat(2_001) })).success).toBe(
      false,
    );
  });

  it("names the connections a signal is from and for: the sender's always", () => {
    const offer = description("offer", offerSdp);
    expect(callSignalSchema.safeParse({ ...offer, for: null }).success).toBe(true);
    const { connection: _from, ...anonymous } = offer;
    expect(callSignalSchema.safeParse(anonymous).success).toBe(false);
    expect(callSignalSchema.safeParse({ ...offer, connection: "short" }).success).toBe(false);
    expect(callSignalSchema.safeParse({ ...offer, for: "x".repeat(65) }).success).toBe(false);
  });

  it("keeps the largest allowed description, written as JSON, within MAX_SIGNAL_BYTES", () => {
    let sdp = "";
    while (sdp.length + offerSdp.length <= 64_000) sdp += offerSdp;
    expect(callSignalSchema.safeParse(description("offer", sdp)).success).toBe(true);
    const bytes = new TextEncoder().encode(JSON.stringify(description("offer", sdp))).length;
    expect(bytes).toBeLessThanOrEqual(MAX_SIGNAL_BYTES);
  });
});
