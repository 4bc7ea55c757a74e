"use client";

import { Mic, SendHorizontal, Trash2 } from "lucide-react";
import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { formatClock, VOICE_MESSAGE_MAX_SECONDS } from "@/lib/chat/voice-recording";
import { useNow } from "@/lib/use-now";
import type { VoiceRecorder } from "./use-voice-recorder";

/** The composer's microphone: starts a voice message. */
export function VoiceRecordButton({ recorder }: { recorder: VoiceRecorder }) {
  const opening = recorder.state.phase === "opening";
  return (
    <Button
      type="button"
      variant="ghost"
      size="icon"
      className="size-10"
      aria-label="Record voice message"
      aria-disabled={opening || undefined}
      onClick={() => {
        if (!opening) void recorder.start();
      }}
    >
      <Mic aria-hidden="true" />
    </Button>
  );
}

function RecordingTimer({ startedAt }: { startedAt: number }) {
  // A few ticks a second keep the seconds turning over on time.
  const now = useNow(250) ?? startedAt;
  const elapsed = Math.min((now - startedAt) / 1000, VOICE_MESSAGE_MAX_SECONDS);
  return (
    <span className="flex min-w-0 flex-1 items-center gap-2 text-sm">
      <span
        aria-hidden="true"
        className="size-2.5 shrink-0 rounded-full bg-destructive motion-safe:animate-pulse"
      />
      <span className="sr-only">Recording</span>
      <span role="timer" aria-label="Recording time" className="font-medium tabular-nums">
        {formatClock(elapsed)}
      </span>
      <span className="text-muted-foreground tabular-nums">
        <span aria-hidden="true">/ </span>
        <span className="sr-only">stops at </span>
        {formatClock(VOICE_MESSAGE_MAX_SECONDS)}
      </span>
    </span>
  );
}

/**
 * Stands in for the message box while a voice message is recorded, uploaded, or failed to
 * upload; otherwise says why the microphone could not be used, if it could not. Escape
 * cancels.
 */
export function VoiceRecordingBar({ recorder }: { recorder: VoiceRecorder }) {
  const { state } = recorder;
  const sendButton = useRef<HTMLButtonElement>(null);
  const recording = state.phase === "recording";

  // The microphone button that had the keyboard is gone: Send takes it over.
  useEffect(() => {
    if (recording) sendButton.current?.focus();
  }, [recording]);

  if (!recorder.open) {
    return recorder.problem ? (
      <p role="alert" className="mt-1 text-xs text-destructive-text">
        {recorder.problem}
      </p>
    ) : null;
  }
  return (
    <div
      role="group"
      aria-label="Voice message"
      className="flex items-center gap-2"
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          recorder.cancel();
        }
      }}
    >
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="size-10"
        aria-label={recording ? "Cancel recording" : "Discard voice message"}
        onClick={recorder.cancel}
      >
        <Trash2 aria-hidden="true" />
      </Button>
      <div className="flex min-h-10 min-w-0 flex-1 items-center rounded-md border border-input bg-card px-3 py-2">
        {state.phase === "recording" ? (
          <RecordingTimer startedAt={state.startedAt} />
        ) : state.phase === "sending" ? (
          <span className="flex min-w-0 flex-1 items-center gap-3 text-sm">
            <span className="shrink-0 text-muted-foreground">Sending voice message…</span>
            <Progress
              value={state.progress * 100}
              label="Uploading voice message"
              className="h-1.5"
            />
          </span>
        ) : state.phase === "failed" ? (
          <span role="alert" className="min-w-0 flex-1 text-sm text-destructive-text">
            {state.message}
          </span>
        ) : null}
      </div>
      {state.phase === "failed" ? (
        <Button type="button" variant="outline" onClick={recorder.retry}>
          Try again
        </Button>
      ) : (
        <Button
          ref={sendButton}
          type="button"
          size="icon"
          className="size-10"
          aria-label="Send voice message"
          disabled={!recording}
          onClick={() => void recorder.send()}
        >
          <SendHorizontal aria-hidden="true" />
        </Button>
      )}
    </div>
  );
}
