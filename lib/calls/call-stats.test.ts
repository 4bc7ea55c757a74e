import { describe, expect, it } from "vitest";
import { mediaBytes } from "./call-stats";

/** A report shaped like Chrome's for a call sending simulcast video. */
const report = new Map<string, Record<string, unknown>>([
  ["IT01A1", { type: "inbound-rtp", kind: "audio", bytesReceived: 1_200 }],
  ["IT01V2", { type: "inbound-rtp", kind: "video", bytesReceived: 50_000 }],
  ["OT01A3", { type: "outbound-rtp", kind: "audio", bytesSent: 900 }],
  ["OT01V4", { type: "outbound-rtp", kind: "video", bytesSent: 30_000, rid: "q" }],
  ["OT01V5", { type: "outbound-rtp", kind: "video", bytesSent: 70_000, rid: "h" }],
  ["RIA01A3", { type: "remote-inbound-rtp", kind: "audio", packetsLost: 2 }],
  ["ROA01A1", { type: "remote-outbound-rtp", kind: "audio", bytesSent: 1_100 }],
  ["T01", { type: "transport", bytesSent: 105_000, bytesReceived: 53_000 }],
  ["CP01", { type: "candidate-pair", bytesSent: 105_000, bytesReceived: 53_000 }],
  ["COT01_111", { type: "codec", mimeType: "audio/opus" }],
]);

describe("mediaBytes", () => {
  it("sums the RTP streams' bytes by direction and kind, and nothing else", async () => {
    const connection = { getStats: () => Promise.resolve(report) };
    expect(await mediaBytes(connection)).toEqual({
      inboundAudio: 1_200,
      inboundVideo: 50_000,
      outboundAudio: 900,
      outboundVideo: 100_000,
    });
  });

  it("reads zero before any media flows", async () => {
    const connection = { getStats: () => Promise.resolve(new Map<string, object>()) };
    expect(await mediaBytes(connection)).toEqual({
      inboundAudio: 0,
      inboundVideo: 0,
      outboundAudio: 0,
      outboundVideo: 0,
    });
  });
});
