export interface MediaBytes {
  inboundAudio: number;
  inboundVideo: number;
  outboundAudio: number;
  outboundVideo: number;
}

/** The fields of an RTP stats entry this reads; other entries lack them or carry others. */
interface RtpStats {
  type?: unknown;
  kind?: unknown;
  bytesReceived?: unknown;
  bytesSent?: unknown;
}

/**
 * Bytes of media carried since the connection opened, by direction and kind: totals, so a
 * rate is the difference between two readings. Transport and candidate-pair entries, which
 * count the same bytes again with their overhead, are left out.
 */
export async function mediaBytes(
  connection: Pick<RTCPeerConnection, "getStats">,
): Promise<MediaBytes> {
  const totals: MediaBytes = {
    inboundAudio: 0,
    inboundVideo: 0,
    outboundAudio: 0,
    outboundVideo: 0,
  };
  const report = await connection.getStats();
  report.forEach((stats: RtpStats) => {
    if (stats.kind !== "audio" && stats.kind !== "video") return;
    const kind = stats.kind === "audio" ? "Audio" : "Video";
    if (stats.type === "inbound-rtp" && typeof stats.bytesReceived === "number") {
      totals[`inbound${kind}`] += stats.bytesReceived;
    } else if (stats.type === "outbound-rtp" && typeof stats.bytesSent === "number") {
      totals[`outbound${kind}`] += stats.bytesSent;
    }
  });
  return totals;
}
