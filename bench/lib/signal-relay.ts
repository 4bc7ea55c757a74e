import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket as RelaySocket } from "ws";
import { PAGE_NAME_SHIM } from "./browser";

/** A signal between two reference pages; the relay reads `to` and stamps `from`. */
interface RelayMessage {
  type: "ring" | "offer" | "answer" | "candidate";
  to: string;
  from?: string;
  /** Which call it belongs to: the pages number them, so late signals of the last are dropped. */
  call: number;
  members: string[];
  sdp?: string;
  candidate?: RTCIceCandidateInit;
}

export interface ReferencePeerApi {
  /** The relay's socket is open. */
  ready: boolean;
  /** The call the page's Start button begins, and everyone in it. */
  prepare(call: number, members: string[]): void;
  /** Closes the page's connections and stops its camera and microphone. */
  hangup(): void;
}

export type ReferenceWindow = Window & { __ref: ReferencePeerApi };

/**
 * The reference page's whole program, run in the browser: on Start it takes camera and
 * microphone and rings the others through the relay; anyone rung takes theirs; each pair is
 * one RTCPeerConnection with audio and video, offered by the lower id, with trickle ICE.
 * No ringing screen, no accept, no server state: what is left is the WebRTC a call needs.
 */
function referencePeer(): void {
  const self = new URLSearchParams(location.search).get("id") ?? "";
  const socket = new WebSocket(`ws://${location.host}/relay?id=${encodeURIComponent(self)}`);
  interface Peer {
    pc: RTCPeerConnection;
    /** Candidates that came before the remote description. */
    early: RTCIceCandidateInit[];
    /** One pair's signals are handled a step at a time, in arrival order. */
    work: Promise<void>;
  }
  const peers = new Map<string, Peer>();
  let call = 0;
  let active = false;
  let members: string[] = [];
  let media: Promise<MediaStream> | null = null;
  let next: { call: number; members: string[] } = { call: 0, members: [] };

  const send = (to: string, message: Pick<RelayMessage, "type" | "sdp" | "candidate">) => {
    const full: RelayMessage = { ...message, to, call, members };
    socket.send(JSON.stringify(full));
  };
  const enqueue = (peer: Peer, step: () => Promise<void>) => {
    peer.work = peer.work.then(step).catch((error: unknown) => {
      console.warn("reference signalling failed", error);
    });
  };
  const flush = async (peer: Peer) => {
    for (const candidate of peer.early.splice(0)) await peer.pc.addIceCandidate(candidate);
  };
  const open = (id: string, local: Promise<MediaStream>, offerer: boolean): Peer => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    const peer: Peer = { pc, early: [], work: Promise.resolve() };
    peers.set(id, peer);
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) send(id, { type: "candidate", candidate: candidate.toJSON() });
    };
    if (offerer) {
      enqueue(peer, async () => {
        const stream = await local;
        for (const track of stream.getTracks()) pc.addTrack(track, stream);
        await pc.setLocalDescription(await pc.createOffer());
        send(id, { type: "offer", sdp: pc.localDescription?.sdp });
      });
    }
    return peer;
  };
  const hangup = () => {
    active = false;
    for (const peer of peers.values()) peer.pc.close();
    peers.clear();
    const stream = media;
    media = null;
    void stream?.then((s) => s.getTracks().forEach((track) => track.stop()));
  };
  const begin = (number: number, who: string[]) => {
    hangup();
    call = number;
    members = who;
    active = true;
    const local = navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    media = local;
    for (const id of who) if (self < id) open(id, local, true);
  };

  socket.onmessage = (event) => {
    const message = JSON.parse(typeof event.data === "string" ? event.data : "{}") as RelayMessage;
    if (message.call < call || (message.call === call && !active)) return;
    if (message.call > call) begin(message.call, message.members);
    const from = message.from ?? "";
    const local = media;
    if (message.type === "offer" && local) {
      const peer = peers.get(from) ?? open(from, local, false);
      enqueue(peer, async () => {
        const stream = await local;
        await peer.pc.setRemoteDescription({ type: "offer", sdp: message.sdp });
        await flush(peer);
        for (const track of stream.getTracks()) peer.pc.addTrack(track, stream);
        await peer.pc.setLocalDescription(await peer.pc.createAnswer());
        send(from, { type: "answer", sdp: peer.pc.localDescription?.sdp });
      });
    }
    const peer = peers.get(from);
    if (!peer) return;
    if (message.type === "answer") {
      enqueue(peer, async () => {
        await peer.pc.setRemoteDescription({ type: "answer", sdp: message.sdp });
        await flush(peer);
      });
    }
    const candidate = message.candidate;
    if (message.type === "candidate" && candidate) {
      enqueue(peer, async () => {
        if (peer.pc.remoteDescription) await peer.pc.addIceCandidate(candidate);
        else peer.early.push(candidate);
      });
    }
  };

  const api: ReferencePeerApi = {
    ready: false,
    prepare: (number, who) => {
      next = { call: number, members: who };
    },
    hangup,
  };
  (window as unknown as ReferenceWindow).__ref = api;
  socket.onopen = () => {
    api.ready = true;
  };
  document.getElementById("start")?.addEventListener("click", () => {
    begin(next.call, next.members);
    for (const id of members) if (id !== self) send(id, { type: "ring" });
  });
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Bare call</title></head>
<body><button id="start">Start</button>
<script>${PAGE_NAME_SHIM}
(${referencePeer.toString()})();</script></body></html>`;

export interface SignalRelay {
  /** The reference page for one peer id. */
  pageUrl(id: string): string;
  /** Signals forwarded so far. */
  relayed(): number;
  stop(): Promise<void>;
}

/**
 * The bare signalling relay on loopback: one HTTP server that serves the reference page and
 * forwards each JSON message from a page's WebSocket to the page it names, and nothing more.
 */
export async function startSignalRelay(): Promise<SignalRelay> {
  const server = http.createServer((req, res) => {
    if (new URL(req.url ?? "/", "http://relay").pathname !== "/") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
  });
  const wss = new WebSocketServer({ server, path: "/relay", perMessageDeflate: false });
  const sockets = new Map<string, RelaySocket>();
  let relayed = 0;
  wss.on("connection", (socket, request) => {
    const id = new URL(request.url ?? "", "http://relay").searchParams.get("id");
    if (!id) {
      socket.close();
      return;
    }
    sockets.set(id, socket);
    socket.on("close", () => {
      if (sockets.get(id) === socket) sockets.delete(id);
    });
    socket.on("message", (data: Buffer) => {
      let message: { to?: unknown };
      try {
        message = JSON.parse(data.toString()) as { to?: unknown };
      } catch {
        return; // not JSON: nobody to give it to
      }
      const target = typeof message.to === "string" ? sockets.get(message.to) : undefined;
      if (!target) return;
      relayed++;
      target.send(JSON.stringify({ ...message, from: id }));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    pageUrl: (id) => `${url}/?id=${encodeURIComponent(id)}`,
    relayed: () => relayed,
    stop: async () => {
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
