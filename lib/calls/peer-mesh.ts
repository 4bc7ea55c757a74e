import { callSignalSchema, type CallSignal, type SignalCandidate } from "./signal";

export type TrackKind = "audio" | "video";
export type LocalTracks = Record<TrackKind, MediaStreamTrack | null>;

export interface PeerMeshOptions {
  /** The local user's id; the lower id of each pair makes the offer. */
  selfId: string;
  iceServers: RTCIceServer[];
  /** Delivers a signal to one participant, in order. */
  send: (to: string, signal: CallSignal) => void;
  /**
   * Called again with the same stream each time it gains a track, and with a new one when the
   * connection is replaced. Both tracks arrive even from someone sending nothing on one.
   */
  onRemoteStream: (peerId: string, stream: MediaStream) => void;
  onPeerState: (peerId: string, state: RTCPeerConnectionState) => void;
}

interface Peer {
  readonly id: string;
  readonly connection: RTCPeerConnection;
  readonly offerer: boolean;
  readonly stream: MediaStream;
  readonly senders: Partial<Record<TrackKind, RTCRtpSender>>;
  /** Remote candidates that came before the remote description they belong to. */
  readonly early: (RTCIceCandidateInit | null)[];
  /** Signalling with one peer runs a step at a time, in arrival order. */
  work: Promise<void>;
}

const KINDS: readonly TrackKind[] = ["audio", "video"];

/**
 * One RTCPeerConnection per remote participant (a full mesh). Each pair is negotiated once,
 * by one side only, so offers never collide: the offerer sets up an audio and a video
 * transceiver whatever the call's kind, and everything later (mute, camera, another device,
 * a shared screen) swaps the sent track without renegotiating.
 */
export class PeerMesh {
  private readonly peers = new Map<string, Peer>();
  private readonly local: LocalTracks;
  private closed = false;

  constructor(
    private readonly options: PeerMeshOptions,
    local: LocalTracks,
  ) {
    this.local = { ...local };
  }

  /** Opens a connection to the peer unless there is one; an answerer then waits for the offer. */
  connect(peerId: string): void {
    if (this.closed || peerId === this.options.selfId || this.peers.has(peerId)) return;
    this.open(peerId);
  }

  /** Throws on a malformed signal; a stale or out-of-order one is only logged. */
  async receive(from: string, signal: unknown): Promise<void> {
    const parsed = callSignalSchema.parse(signal);
    if (this.closed || from === this.options.selfId) return;
    let peer = this.peers.get(from);
    if (!peer) {
      // Only offerers start a pair: whatever an offerer hears from a stranger belongs to a
      // connection it has since closed.
      if (this.isOfferer(from)) return;
      peer = this.open(from);
    }
    const target = peer;
    await this.enqueue(target, () => this.handle(target, parsed));
  }

  disconnect(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    this.peers.delete(peerId);
    peer.early.length = 0;
    peer.connection.close();
  }

  /** Sends the track (null sends nothing) to everyone, now and on connections made later. */
  async setTrack(kind: TrackKind, track: MediaStreamTrack | null): Promise<void> {
    if (track && track.kind !== kind) throw new TypeError(`A ${track.kind} track sent as ${kind}`);
    this.local[kind] = track;
    await Promise.all(
      [...this.peers.values()].map(async (peer) => {
        try {
          await peer.senders[kind]?.replaceTrack(track);
        } catch (error) {
          console.warn(`Could not change the ${kind} sent to ${peer.id}`, error);
        }
      }),
    );
  }

  peerIds(): string[] {
    return [...this.peers.keys()];
  }

  connection(peerId: string): RTCPeerConnection | undefined {
    return this.peers.get(peerId)?.connection;
  }

  /** Closes every connection; the local tracks stay the caller's to stop. */
  close(): void {
    this.closed = true;
    for (const peerId of this.peerIds()) this.disconnect(peerId);
  }

  private isOfferer(peerId: string): boolean {
    return this.options.selfId < peerId;
  }

  private open(id: string): Peer {
    const connection = new RTCPeerConnection({ iceServers: this.options.iceServers });
    const peer: Peer = {
      id,
      connection,
      offerer: this.isOfferer(id),
      stream: new MediaStream(),
      senders: {},
      early: [],
      work: Promise.resolve(),
    };
    this.peers.set(id, peer);
    connection.onicecandidate = ({ candidate }) => {
      this.options.send(id, { kind: "candidate", candidate: candidate && plain(candidate) });
    };
    connection.ontrack = ({ track }) => {
      peer.stream.addTrack(track);
      this.options.onRemoteStream(id, peer.stream);
    };
    connection.onconnectionstatechange = () => {
      const state = connection.connectionState;
      this.options.onPeerState(id, state);
      if (state === "failed" && peer.offerer) {
        void this.enqueue(peer, () => this.describe(peer, "offer", true));
      }
    };
    if (peer.offerer) {
      for (const kind of KINDS) {
        const track = this.local[kind] ?? kind;
        peer.senders[kind] = connection.addTransceiver(track, { direction: "sendrecv" }).sender;
      }
      void this.enqueue(peer, () => this.describe(peer, "offer"));
    }
    return peer;
  }

  private enqueue(peer: Peer, step: () => Promise<void>): Promise<void> {
    peer.work = peer.work
      .then(() => (this.peers.get(peer.id) === peer ? step() : undefined))
      .catch((error: unknown) => console.warn(`Call signalling with ${peer.id} failed`, error));
    return peer.work;
  }

  private async handle(peer: Peer, signal: CallSignal): Promise<void> {
    if (signal.kind === "candidate") return this.addCandidate(peer, signal.candidate);
    const { type, sdp } = signal.description;
    const { signalingState } = peer.connection;
    // An offerer takes only the answer to its pending offer; an answerer takes any offer.
    const expected = peer.offerer ? "answer" : "offer";
    if (type !== expected || (peer.offerer && signalingState !== "have-local-offer")) {
      throw new Error(`Unexpected ${type} in ${signalingState}`);
    }
    if (isFromAnotherConnection(peer.connection, sdp)) {
      // The other side started over (a reload): ours cannot follow, so a fresh one replaces it.
      this.disconnect(peer.id);
      const fresh = this.open(peer.id);
      // An offerer's fresh connection has made its own offer; the answer was to the old one.
      if (type === "offer") await this.enqueue(fresh, () => this.answer(fresh, sdp));
      return;
    }
    if (type === "offer") return this.answer(peer, sdp);
    await this.setRemote(peer, { type, sdp });
  }

  private async answer(peer: Peer, sdp: string): Promise<void> {
    await this.setRemote(peer, { type: "offer", sdp });
    for (const transceiver of peer.connection.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      if ((kind !== "audio" && kind !== "video") || peer.senders[kind]) continue;
      transceiver.direction = "sendrecv";
      peer.senders[kind] = transceiver.sender;
      await transceiver.sender.replaceTrack(this.local[kind]);
    }
    await this.describe(peer, "answer");
  }

  private async describe(peer: Peer, type: "offer" | "answer", iceRestart = false): Promise<void> {
    const { connection } = peer;
    await connection.setLocalDescription(
      type === "offer"
        ? await connection.createOffer({ iceRestart })
        : await connection.createAnswer(),
    );
    const sdp = connection.localDescription?.sdp;
    if (!sdp) throw new Error(`No local ${type}`);
    this.options.send(peer.id, { kind: "description", description: { type, sdp } });
  }

  private async setRemote(peer: Peer, description: RTCSessionDescriptionInit): Promise<void> {
    await peer.connection.setRemoteDescription(description);
    for (const candidate of peer.early.splice(0)) {
      await this.addCandidate(peer, candidate).catch((error: unknown) => {
        console.warn(`Dropped an ICE candidate from ${peer.id}`, error);
      });
    }
  }

  private async addCandidate(peer: Peer, candidate: RTCIceCandidateInit | null): Promise<void> {
    if (!peer.connection.remoteDescription) {
      peer.early.push(candidate);
      return;
    }
    // An empty candidate is how addIceCandidate is told the remote side has no more.
    await peer.connection.addIceCandidate(candidate ?? { candidate: "" });
  }
}

/** The fields of a candidate, without the browser's extras the schema refuses. */
function plain(candidate: RTCIceCandidate): SignalCandidate {
  const { sdpMid, sdpMLineIndex, usernameFragment } = candidate;
  return { candidate: candidate.candidate, sdpMid, sdpMLineIndex, usernameFragment };
}

/** A new DTLS fingerprint means a new RTCPeerConnection on the other side, not a renegotiation. */
function isFromAnotherConnection(connection: RTCPeerConnection, sdp: string): boolean {
  const current = connection.remoteDescription && fingerprint(connection.remoteDescription.sdp);
  const next = fingerprint(sdp);
  return Boolean(current && next && current !== next);
}

function fingerprint(sdp: string): string | undefined {
  return /^a=fingerprint:(.+)$/m.exec(sdp)?.[1]?.trim();
}
