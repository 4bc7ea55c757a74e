"use client";

import {
  Mic,
  MicOff,
  Minimize2,
  MonitorUp,
  MonitorX,
  PhoneOff,
  Settings2,
  Video,
  VideoOff,
} from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { listDevices } from "@/lib/calls/media";
import { watchSpeaking } from "@/lib/calls/speaking";
import { cn } from "@/lib/utils";
import { useCalls, useCallSessionState } from "./calls-context";
import { CallTimer } from "./call-timer";

function useSpeaking(stream: MediaStream | null, on: boolean): boolean {
  const [speaking, setSpeaking] = useState(false);
  useEffect(() => {
    if (!stream || !on) {
      setSpeaking(false);
      return;
    }
    const stop = watchSpeaking(stream, setSpeaking);
    return () => {
      stop();
      setSpeaking(false);
    };
  }, [stream, on]);
  return speaking;
}

/** One person in the call: their picture or video, name, microphone, and whether they speak. */
function Tile({
  name,
  image,
  stream,
  self,
  audioOn,
  videoOn,
  connecting,
}: {
  name: string;
  image: string | null;
  stream: MediaStream | null;
  self: boolean;
  audioOn: boolean;
  videoOn: boolean;
  connecting: boolean;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const tracks = stream?.getTracks().length ?? 0;
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    element.srcObject = stream;
    if (stream) void element.play().catch(() => undefined);
  }, [stream, tracks]);
  const speaking = useSpeaking(stream, audioOn);
  return (
    <figure
      aria-label={self ? `${name} (you)` : name}
      data-speaking={speaking}
      className={cn(
        "relative flex aspect-video min-h-0 items-center justify-center overflow-hidden rounded-xl bg-muted ring-2 ring-transparent transition-shadow",
        speaking && "ring-online",
      )}
    >
      {/* Plays the sound too: only one's own is muted. */}
      <video
        ref={video}
        autoPlay
        playsInline
        muted={self}
        className={cn("size-full object-cover", self && "-scale-x-100", !videoOn && "invisible")}
      />
      {!videoOn ? <Avatar name={name} image={image} className="absolute size-20 text-2xl" /> : null}
      <figcaption className="absolute bottom-2 left-2 flex items-center gap-1.5 rounded-md bg-card/85 px-2 py-0.5 text-sm text-card-foreground">
        {audioOn ? null : (
          <MicOff
            aria-label="Microphone off"
            role="img"
            className="size-3.5 text-destructive-text"
          />
        )}
        <span>{self ? `${name} (you)` : name}</span>
        {speaking ? <span className="sr-only">, speaking</span> : null}
        {connecting ? <span className="text-muted-foreground"> · connecting…</span> : null}
      </figcaption>
    </figure>
  );
}

/** Microphone and camera choice, from what the browser lists once media is allowed. */
function DeviceChoice() {
  const { session } = useCalls();
  const state = useCallSessionState(session);
  const [devices, setDevices] = useState<Awaited<ReturnType<typeof listDevices>> | null>(null);
  return (
    <Popover onOpenChange={(open) => open && void listDevices().then(setDevices)}>
      <PopoverTrigger asChild>
        <Button variant="secondary" size="icon" aria-label="Choose microphone and camera">
          <Settings2 aria-hidden="true" />
        </Button>
      </PopoverTrigger>
      <PopoverContent className="grid w-72 gap-3 text-sm">
        {(["audio", "video"] as const).map((kind) => {
          const list = kind === "audio" ? devices?.audioInputs : devices?.videoInputs;
          const chosen =
            kind === "audio" ? state?.devices.audioInputId : state?.devices.videoInputId;
          const label = kind === "audio" ? "Microphone" : "Camera";
          return (
            <label key={kind} className="grid gap-1">
              <span className="font-medium">{label}</span>
              <select
                className="rounded-md border border-input bg-background px-2 py-1.5"
                value={chosen ?? ""}
                onChange={(event) => void session?.useDevice(kind, event.target.value)}
                disabled={!list || list.length === 0}
              >
                <option value="" disabled>
                  {list && list.length === 0 ? `No ${label.toLowerCase()} found` : "Default"}
                </option>
                {list?.map((d) => (
                  <option key={d.deviceId} value={d.deviceId}>
                    {d.label}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </PopoverContent>
    </Popover>
  );
}

/** The call itself, over the app: a tile for each person, and the controls. */
export function CallView() {
  const { joined, session, setView, leave, busy } = useCalls();
  const state = useCallSessionState(session);
  if (!joined) return null;
  const others = joined.participants.filter(
    (p) => p.status === "joined" && p.user.id !== session?.selfId,
  );
  const me = joined.participants.find((p) => p.user.id === session?.selfId);
  const count = others.length + 1;
  // Until the media has started, the controls show what it starts with, so they do not flip
  // (and fade between colours) a moment after the view opens.
  const audioOn = state?.audioOn ?? true;
  const videoOn = state?.videoOn ?? joined.kind === "video";
  const screenOn = state?.screenOn ?? false;
  return (
    <section
      aria-label={`Call: ${joined.chatTitle}`}
      className="fixed inset-0 z-40 flex flex-col bg-background text-foreground"
    >
      <header className="flex items-center gap-3 px-4 py-3">
        <div className="min-w-0 flex-1">
          <h2 className="truncate font-semibold">{joined.chatTitle}</h2>
          <p className="text-sm text-muted-foreground">
            {joined.startedAt ? <CallTimer since={joined.startedAt} /> : "Ringing…"} · {count} of{" "}
            {joined.maxParticipants} people
          </p>
        </div>
        <Button
          variant="secondary"
          size="icon"
          aria-label="Minimise call"
          onClick={() => setView("bar")}
        >
          <Minimize2 aria-hidden="true" />
        </Button>
      </header>
      {state?.error ? (
        <p
          role="alert"
          className="mx-4 rounded-md bg-destructive-soft px-3 py-2 text-sm text-destructive-text"
        >
          {state.error}
        </p>
      ) : null}
      {/* Tiles scroll rather than spill over the controls on a short screen; centred by
          margins, which never push the first row out of reach as centring content would. */}
      <div
        role="group"
        aria-label="People in the call"
        // Focusable, so the keyboard can scroll the tiles when they overflow.
        tabIndex={0}
        className="flex min-h-0 flex-1 overflow-y-auto p-4 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring"
      >
        <div
          className={cn(
            "m-auto grid w-full max-w-6xl gap-3",
            count <= 1 ? "grid-cols-1" : count <= 4 ? "sm:grid-cols-2" : "sm:grid-cols-3",
          )}
        >
          <Tile
            name={me?.user.name ?? "You"}
            image={me?.user.image ?? null}
            stream={state?.local ?? null}
            self
            audioOn={audioOn}
            videoOn={videoOn || screenOn}
            connecting={false}
          />
          {others.map((p) => (
            <Tile
              key={p.user.id}
              name={p.user.name}
              image={p.user.image}
              stream={state?.remotes[p.user.id] ?? null}
              self={false}
              audioOn={p.audioOn}
              videoOn={p.videoOn || p.screenOn}
              connecting={state?.peerStates[p.user.id] !== "connected"}
            />
          ))}
        </div>
      </div>
      <footer className="flex shrink-0 flex-wrap items-center justify-center gap-2 border-t border-border px-4 py-4">
        <Button
          variant={audioOn ? "secondary" : "destructive"}
          onClick={() => void session?.setAudio(!audioOn)}
        >
          {audioOn ? <Mic aria-hidden="true" /> : <MicOff aria-hidden="true" />}
          {audioOn ? "Mute" : "Unmute"}
        </Button>
        <Button
          variant={videoOn ? "secondary" : "outline"}
          className={cn(!videoOn && "text-foreground")}
          onClick={() => void session?.setVideo(!videoOn)}
        >
          {videoOn ? <Video aria-hidden="true" /> : <VideoOff aria-hidden="true" />}
          {videoOn ? "Turn camera off" : "Turn camera on"}
        </Button>
        <Button
          variant="secondary"
          onClick={() => void (screenOn ? session?.stopScreen() : session?.shareScreen())}
        >
          {screenOn ? <MonitorX aria-hidden="true" /> : <MonitorUp aria-hidden="true" />}
          {screenOn ? "Stop sharing" : "Share screen"}
        </Button>
        <DeviceChoice />
        <Button variant="destructive" onClick={() => void leave()} disabled={busy}>
          <PhoneOff aria-hidden="true" />
          Leave call
        </Button>
      </footer>
    </section>
  );
}
