"use client";

import { Download, Pause, Play } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { formatClock, isVoiceMessageName, spokenDuration } from "@/lib/chat/voice-recording";
import { cn } from "@/lib/utils";
import type { MessageView } from "@/contracts/messages";
import { useMediaDuration } from "./use-media-duration";

type Attachment = MessageView["attachments"][number];

/** Parley's attachment players: starting one pauses the others (and nothing else that plays). */
const PLAYERS = "audio[data-attachment-player]";

/**
 * An audio attachment as a small player: play and pause, where it is, how long it is, and a
 * slider to seek; the file downloads beside it. The audio loads only its metadata until
 * played; a voice message's length is found as useMediaDuration describes.
 */
export function AudioAttachment({ file, mine }: { file: Attachment; mine: boolean }) {
  const audio = useRef<HTMLAudioElement>(null);
  const { duration, measuring } = useMediaDuration(audio);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [unplayable, setUnplayable] = useState(false);
  const title = isVoiceMessageName(file.fileName) ? "Voice message" : file.fileName;

  // Rendered on the server, the element may have failed before React listened to it.
  useEffect(() => {
    if (audio.current?.error) setUnplayable(true);
  }, [audio]);

  function toggle() {
    const element = audio.current;
    if (!element) return;
    if (!element.paused) {
      element.pause();
      return;
    }
    element.play().catch((error: unknown) => {
      // A pause before playback began rejects the same way: that is no failure.
      if (error instanceof DOMException && error.name === "AbortError") return;
      setUnplayable(true);
    });
  }

  function seek(seconds: number) {
    const element = audio.current;
    if (!element || !Number.isFinite(seconds)) return;
    element.currentTime = seconds;
    setPosition(seconds);
  }

  const known = duration !== null;
  return (
    <div
      className={cn(
        "flex w-72 max-w-full items-center gap-2 rounded-lg border py-1.5 pr-1 pl-2",
        mine ? "border-primary-foreground/40" : "border-border bg-card",
      )}
    >
      <audio
        ref={audio}
        src={file.url}
        preload="metadata"
        data-attachment-player=""
        onTimeUpdate={(event) => {
          if (!measuring.current) setPosition(event.currentTarget.currentTime);
        }}
        onPlay={(event) => {
          setPlaying(true);
          for (const other of document.querySelectorAll<HTMLAudioElement>(PLAYERS)) {
            if (other !== event.currentTarget) other.pause();
          }
        }}
        onPause={() => setPlaying(false)}
        onEnded={(event) => {
          setPlaying(false);
          event.currentTarget.currentTime = 0;
          setPosition(0);
        }}
        onError={() => setUnplayable(true)}
      />
      <button
        type="button"
        onClick={toggle}
        disabled={unplayable}
        aria-label={`${playing ? "Pause" : "Play"} ${file.fileName}`}
        className={cn(
          "flex size-9 shrink-0 items-center justify-center rounded-full focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:opacity-50",
          mine ? "bg-primary-foreground text-primary" : "bg-primary text-primary-foreground",
        )}
      >
        {playing ? (
          <Pause aria-hidden="true" className="size-4" />
        ) : (
          <Play aria-hidden="true" className="size-4" />
        )}
      </button>
      <span className="min-w-0 flex-1">
        <span className="block truncate text-xs font-medium">{title}</span>
        {unplayable ? (
          <span className="block text-xs">This browser cannot play it: download it instead.</span>
        ) : (
          <>
            <input
              type="range"
              min={0}
              max={known ? duration : 0}
              step="any"
              value={known ? Math.min(position, duration) : 0}
              disabled={!known}
              onChange={(event) => seek(Number(event.target.value))}
              aria-label={`Seek in ${file.fileName}`}
              aria-valuetext={`${spokenDuration(position)} of ${spokenDuration(duration ?? 0)}`}
              className={cn(
                "block h-4 w-full cursor-pointer rounded-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:cursor-default",
                mine ? "accent-primary-foreground" : "accent-primary",
              )}
            />
            <span className="flex justify-between text-xs tabular-nums">
              <span data-testid="audio-position">{formatClock(position)}</span>
              <span data-testid="audio-duration">{known ? formatClock(duration) : "--:--"}</span>
            </span>
          </>
        )}
      </span>
      <a
        href={file.url}
        download={file.fileName}
        aria-label={`Download ${file.fileName}`}
        className="shrink-0 rounded-md p-2 focus-visible:outline-2 focus-visible:outline-ring"
      >
        <Download aria-hidden="true" className="size-4" />
      </a>
    </div>
  );
}
