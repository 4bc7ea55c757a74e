import {
  callSignalSchema,
  type CallSignal,
  type SignalCandidate,
  type SignalRoute,
} from "./signal";

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
  /** This connection's id, sent with every signal from it. */
  readonly localId: string;
  /** The other side's connection this one is paired with, once known. */
  remoteId: string | null;
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
 * a shared screen) swaps the sent track without renegotiating. Every signal names the
 * connections it is from and for, so a pair can start over at any time (a reload, a
 * participant's channel joining late) without a late answer meeting the wrong connection.
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

  /**
   * Throws on a malformed signal; one for a connection closed since is dropped, and one that
   * makes no sense where the pair is is only logged.
   */
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

  /** Whether this side makes the pair's offers. */
  offersTo(peerId: string): boolean {
    return this.isOfferer(peerId);
  }

  /** The id of this side's connection to the peer, if there is one. */
  localIdOf(peerId: string): string | null {
    return this.peers.get(peerId)?.localId ?? null;
  }

  /** The id of the peer's connection this side's is paired with, once known. */
  remoteIdOf(peerId: string): string | null {
    return this.peers.get(peerId)?.remoteId ?? null;
  }

  /**
   * Sends the pending offer again (with every candidate gathered since, which it now
   * carries), for a peer that says it never got it. False when there is none pending.
   */
  resendOffer(peerId: string): boolean {
    const peer = this.peers.get(peerId);
    const offer = peer?.connection.localDescription;
    if (!peer?.offerer || peer.remoteId !== null || offer?.type !== "offer") return false;
    if (peer.connection.signalingState !== "have-local-offer") return false;
    this.options.send(peer.id, {
      ...routeOf(peer),
      kind: "description",
      description: { type: "offer", sdp: offer.sdp },
    });
    return true;
  }

  /** Starts the pair over: a fresh connection (with a fresh offer, on the offering side). */
  restart(peerId: string): void {
    this.disconnect(peerId);
    this.connect(peerId);
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
      localId: randomId(),
      remoteId: null,
      offerer: this.isOfferer(id),
      stream: new MediaStream(),
      senders: {},
      early: [],
      work: Promise.resolve(),
    };
    this.peers.set(id, peer);
    connection.onicecandidate = ({ candidate }) => {
      this.options.send(id, {
        ...routeOf(peer),
        kind: "candidate",
        candidate: candidate && plain(candidate),
      });
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
    if (peer.offerer) {
      // An answerer names the connection it answers; anything else is for one closed since.
      if (signal.for !== peer.localId) return;
      if (signal.kind === "candidate") return this.addCandidate(peer, signal.candidate);
      const { signalingState } = peer.connection;
      // The answer to an offer sent twice comes twice: the second changes nothing.
      if (signalingState === "stable" && peer.remoteId === signal.connection) return;
      if (signal.description.type !== "answer" || signalingState !== "have-local-offer") {
        throw new Error(`Unexpected ${signal.description.type} in ${signalingState}`);
      }
      peer.remoteId = signal.connection;
      return this.setRemote(peer, signal.description);
    }
    if (signal.kind === "candidate") {
      // From a connection of theirs this one does not follow (an older one): dropped.
      if (signal.connection !== peer.remoteId) return;
      return this.addCandidate(peer, signal.candidate);
    }
    if (signal.description.type !== "offer") {
      throw new Error(`Unexpected ${signal.description.type} from the offering side`);
    }
    const { sdp } = signal.description;
    if (peer.remoteId !== null && peer.remoteId !== signal.connection) {
      // The other side started over (a reload, a fresh offer): a fresh connection answers.
      this.disconnect(peer.id);
      const fresh = this.open(peer.id);
      fresh.remoteId = signal.connection;
      await this.enqueue(fresh, () => this.answer(fresh, sdp));
      return;
    }
    const answered = peer.connection.localDescription;
    if (
      peer.remoteId === signal.connection &&
      answered?.type === "answer" &&
      iceUfrag(peer.connection.remoteDescription?.sdp) === iceUfrag(sdp)
    ) {
      // The same offer again (it was sent twice): the answer already made goes again.
      this.options.send(peer.id, {
        ...routeOf(peer),
        kind: "description",
        description: { type: "answer", sdp: answered.sdp },
      });
      return;
    }
    // The first offer, or the same connection offering again (an ICE restart).
    peer.remoteId = signal.connection;
    await this.answer(peer, sdp);
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
    this.options.send(peer.id, {
      ...routeOf(peer),
      kind: "description",
      description: { type, sdp },
    });
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

/** An ICE restart changes the offer's ufrag; a resent offer keeps it. */
function iceUfrag(sdp: string | undefined): string | undefined {
  return sdp ? /^a=ice-ufrag:(.+)$/m.exec(sdp)?.[1]?.trim() : undefined;
}

function routeOf(peer: Peer): SignalRoute {
  return { connection: peer.localId, for: peer.remoteId };
}

/** A connection's id: random, and made where crypto.randomUUID may not exist (plain http). */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
