import { CALL_HEARTBEAT_MS, type CallKind, type ConnectionState } from "@/contracts/calls";
import type { ChannelHandle, ChannelRegistry } from "@/lib/realtime/channel-registry";
import { callTopic } from "@/lib/realtime/events";
import { openLocalMedia, openScreenShare, type DeviceChoice } from "./media";
import { PeerMesh, type LocalTracks } from "./peer-mesh";
import type { CallSignal } from "./signal";

/** What the call view draws; a new object on every change. */
export interface CallSessionState {
  local: MediaStream | null;
  /** Each other participant's media, by user id. */
  remotes: Record<string, MediaStream>;
  peerStates: Record<string, RTCPeerConnectionState>;
  audioOn: boolean;
  videoOn: boolean;
  screenOn: boolean;
  devices: DeviceChoice;
  /** Why media could not start, in words for people. */
  error: string | null;
}

export interface DeviceState {
  audioOn: boolean;
  videoOn: boolean;
  screenOn: boolean;
  connectionState: ConnectionState;
}

export interface CallSessionOptions {
  callId: string;
  kind: CallKind;
  selfId: string;
  iceServers: RTCIceServer[];
  channels: ChannelRegistry;
  /** Tells the server this browser is still in the call, with its devices. */
  heartbeat: (state: DeviceState) => Promise<unknown>;
}

/**
 * A signal on the call's topic is one of the mesh's, or `ready`: "I am here and paired with
 * your connection `have` (or none)". A participant says it when its channel joins (first
 * time, after a reload or a rejoin: whatever was sent to it meanwhile may be lost) and when it
 * has waited for an offer too long; the offering side starts the pair over unless the two are
 * already paired, so a lost or crossed offer never leaves a pair stuck.
 */
type Envelope = CallSignal | { kind: "ready"; have: string | null };

/** How long an answering side waits for an offer before it asks again. */
const OFFER_WAIT_MS = 2_500;

/**
 * One browser's part in one call: its microphone and camera, a peer connection to each other
 * participant, the call's signalling topic and the heartbeat that keeps it in the call.
 */
export class CallSession {
  private state: CallSessionState = {
    local: null,
    remotes: {},
    peerStates: {},
    audioOn: true,
    videoOn: false,
    screenOn: false,
    devices: {},
    error: null,
  };
  private readonly listeners = new Set<(state: CallSessionState) => void>();
  private mesh: PeerMesh | null = null;
  private tracks: LocalTracks = { audio: null, video: null };
  private camera: MediaStreamTrack | null = null;
  private screen: MediaStreamTrack | null = null;
  private channel: ChannelHandle | null = null;
  private participants = new Set<string>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  /** When each pair this side answers last asked for an offer. */
  private readonly asked = new Map<string, number>();
  private stopped = false;

  constructor(private readonly options: CallSessionOptions) {}

  get selfId(): string {
    return this.options.selfId;
  }

  get snapshot(): CallSessionState {
    return this.state;
  }

  subscribe(listener: (state: CallSessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    try {
      const media = await openLocalMedia(this.options.kind, this.state.devices);
      this.tracks = { audio: media.audio, video: media.video };
      this.camera = media.video;
    } catch (error) {
      // No camera (or none allowed) still leaves a call one can hear and speak in.
      this.set({ error: error instanceof Error ? error.message : "Media could not start" });
      if (this.options.kind === "video") {
        try {
          const media = await openLocalMedia("audio", this.state.devices);
          this.tracks = { audio: media.audio, video: null };
        } catch {
          // Neither: the call is heard but nothing is sent.
        }
      }
    }
    if (this.stopped) return this.releaseTracks();
    this.set({
      local: this.localStream(),
      audioOn: this.tracks.audio !== null,
      videoOn: this.tracks.video !== null,
    });
    this.mesh = new PeerMesh(
      {
        selfId: this.options.selfId,
        iceServers: this.options.iceServers,
        send: (to, signal) => this.send(to, signal),
        onRemoteStream: (peerId, stream) =>
          this.set({ remotes: { ...this.state.remotes, [peerId]: stream } }),
        onPeerState: (peerId, state) =>
          this.set({ peerStates: { ...this.state.peerStates, [peerId]: state } }),
      },
      this.tracks,
    );
    this.channel = this.options.channels.acquire(callTopic(this.options.callId), {
      onStatus: (status) => {
        if (status === "SUBSCRIBED") this.announce();
      },
      onBroadcast: (event, payload) => {
        if (event !== "signal" || payload.to !== this.options.selfId) return;
        if (typeof payload.userId !== "string") return;
        void this.receive(payload.userId, payload.signal as Envelope);
      },
    });
    this.timer = setInterval(() => this.beat(), CALL_HEARTBEAT_MS);
    this.watchdog = setInterval(() => this.askForMissingOffers(), OFFER_WAIT_MS / 2);
    this.beat();
  }

  /** The others in the call now (joined, not this browser's user). */
  setParticipants(ids: string[]): void {
    const next = new Set(ids.filter((id) => id !== this.options.selfId));
    for (const id of this.participants) {
      if (!next.has(id)) {
        this.mesh?.disconnect(id);
        const { [id]: _gone, ...remotes } = this.state.remotes;
        const { [id]: _state, ...peerStates } = this.state.peerStates;
        this.set({ remotes, peerStates });
      }
    }
    for (const id of next) if (!this.participants.has(id)) this.mesh?.connect(id);
    this.participants = next;
  }

  async setAudio(on: boolean): Promise<void> {
    if (!this.tracks.audio) return;
    this.tracks.audio.enabled = on;
    // No track on the wire at all while muted: nothing leaves this machine.
    await this.mesh?.setTrack("audio", on ? this.tracks.audio : null);
    this.set({ audioOn: on });
    this.beat();
  }

  async setVideo(on: boolean): Promise<void> {
    if (on && !this.camera) {
      try {
        const media = await openLocalMedia("video", this.state.devices);
        media.audio?.stop();
        this.camera = media.video;
      } catch (error) {
        this.set({ error: error instanceof Error ? error.message : "The camera could not start" });
        return;
      }
    }
    if (this.camera) this.camera.enabled = on;
    if (!this.screen) {
      this.tracks.video = on ? this.camera : null;
      await this.mesh?.setTrack("video", this.tracks.video);
    }
    this.set({ videoOn: on, local: this.localStream() });
    this.beat();
  }

  async shareScreen(): Promise<void> {
    let track: MediaStreamTrack;
    try {
      track = await openScreenShare();
    } catch {
      return; // The picker was cancelled or refused: nothing changes.
    }
    this.screen = track;
    // The browser's own "Stop sharing" button ends the track.
    track.addEventListener("ended", () => void this.stopScreen());
    this.tracks.video = track;
    await this.mesh?.setTrack("video", track);
    this.set({ screenOn: true, local: this.localStream() });
    this.beat();
  }

  async stopScreen(): Promise<void> {
    if (!this.screen) return;
    this.screen.stop();
    this.screen = null;
    this.tracks.video = this.state.videoOn ? this.camera : null;
    await this.mesh?.setTrack("video", this.tracks.video);
    this.set({ screenOn: false, local: this.localStream() });
    this.beat();
  }

  /** Another microphone or camera: the new track replaces the old one everywhere. */
  async useDevice(kind: "audio" | "video", deviceId: string): Promise<void> {
    const devices = {
      ...this.state.devices,
      [kind === "audio" ? "audioInputId" : "videoInputId"]: deviceId,
    };
    this.set({ devices });
    if (kind === "video" && !this.camera) return;
    const media = await openLocalMedia(kind === "audio" ? "audio" : "video", devices).catch(
      (error: unknown) => {
        this.set({ error: error instanceof Error ? error.message : "The device could not start" });
        return null;
      },
    );
    if (!media) return;
    if (kind === "audio") {
      this.tracks.audio?.stop();
      this.tracks.audio = media.audio;
      if (media.audio) media.audio.enabled = this.state.audioOn;
      await this.mesh?.setTrack("audio", this.state.audioOn ? media.audio : null);
    } else {
      media.audio?.stop();
      this.camera?.stop();
      this.camera = media.video;
      if (!this.screen && this.state.videoOn) {
        this.tracks.video = media.video;
        await this.mesh?.setTrack("video", media.video);
      }
    }
    this.set({ local: this.localStream(), error: null });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.channel?.release();
    this.mesh?.close();
    this.releaseTracks();
    this.listeners.clear();
  }

  // ---- inside ------------------------------------------------------------------------------

  private announce(): void {
    for (const id of this.participants) this.sayReady(id);
  }

  private sayReady(id: string): void {
    if (!this.mesh) return;
    this.mesh.connect(id);
    this.asked.set(id, Date.now());
    this.send(id, { kind: "ready", have: this.mesh.remoteIdOf(id) });
  }

  /** An answering side that has heard no offer for a while asks for one again. */
  private askForMissingOffers(): void {
    if (!this.mesh) return;
    const now = Date.now();
    for (const id of this.participants) {
      if (this.mesh.offersTo(id)) continue;
      const connection = this.mesh.connection(id);
      if (connection?.remoteDescription) continue;
      if (now - (this.asked.get(id) ?? 0) >= OFFER_WAIT_MS) this.sayReady(id);
    }
  }

  private async receive(from: string, envelope: Envelope): Promise<void> {
    if (!this.mesh) return;
    // Only those joined in the call can send on its topic: someone this page has not yet
    // seen join (its list is read a moment after the event) is in the call all the same.
    if (!this.participants.has(from)) {
      this.participants.add(from);
      this.mesh.connect(from);
    }
    if (envelope.kind === "ready") {
      if (!this.mesh.offersTo(from)) {
        this.mesh.connect(from);
        return;
      }
      // Already paired with the connection they have: nothing to redo. An offer not yet
      // answered goes again; anything else starts the pair over.
      const current = this.mesh.localIdOf(from);
      if (current !== null && envelope.have === current) return;
      if (envelope.have === null && this.mesh.resendOffer(from)) return;
      this.mesh.restart(from);
      return;
    }
    await this.mesh.receive(from, envelope).catch((error: unknown) => {
      console.warn("A call signal was refused", error);
    });
  }

  private send(to: string, signal: Envelope): void {
    // Parley's gateway stamps the sender over `userId`; hosted Realtime passes it on as sent,
    // where only those in the call may send on its topic at all.
    void this.channel?.send("signal", { to, signal, userId: this.options.selfId });
  }

  private beat(): void {
    if (this.stopped) return;
    void this.options
      .heartbeat({
        audioOn: this.state.audioOn,
        videoOn: this.state.videoOn,
        screenOn: this.state.screenOn,
        connectionState: overall(Object.values(this.state.peerStates)),
      })
      .catch(() => undefined);
  }

  private localStream(): MediaStream {
    return new MediaStream(
      [this.tracks.audio, this.tracks.video].filter((t): t is MediaStreamTrack => t !== null),
    );
  }

  private releaseTracks(): void {
    for (const track of [this.tracks.audio, this.tracks.video, this.camera, this.screen]) {
      track?.stop();
    }
  }

  private set(patch: Partial<CallSessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}

/** One word for this browser's connections to everyone else. */
function overall(states: RTCPeerConnectionState[]): ConnectionState {
  for (const wanted of ["connected", "connecting", "disconnected", "failed"] as const) {
    if (states.includes(wanted)) return wanted;
  }
  return states.length > 0 ? "closed" : "new";
}
