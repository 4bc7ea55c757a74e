"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { MicrophoneRecording, RecordingError } from "@/lib/chat/microphone-recording";
import { VOICE_MESSAGE_MAX_SECONDS, microphoneProblem } from "@/lib/chat/voice-recording";
import type { PendingMessage } from "@/lib/chat/message-list-state";
import { browserTimeZone } from "@/lib/time-zone";
import { uploadFile } from "@/lib/upload";

export type VoiceRecorderState =
  | { phase: "idle" }
  /** Waiting for the browser (or the person) to hand over the microphone. */
  | { phase: "opening" }
  | { phase: "recording"; startedAt: number }
  | { phase: "sending"; progress: number }
  /** The upload failed; the recording is kept to try again or throw away. */
  | { phase: "failed"; message: string };

type Attachment = PendingMessage["attachments"][number];

/**
 * A voice message from the microphone to the chat: record, then upload through the chat's
 * attachment route like any file, then hand the attachment to the composer's send. Stopping
 * at VOICE_MESSAGE_MAX_SECONDS sends what was recorded. Cancelling, leaving the chat or
 * unmounting throws everything away and gives the microphone back.
 */
export function useVoiceRecorder({
  chatId,
  onRecorded,
  onClosed,
}: {
  chatId: string;
  /** The uploaded recording, to send as a message. */
  onRecorded: (attachment: Attachment) => void;
  /** After the recorder closes (sent or cancelled): where the keyboard goes back to. */
  onClosed: () => void;
}) {
  const [state, setState] = useState<VoiceRecorderState>({ phase: "idle" });
  /** Why the last attempt could not record: shown until the next one. */
  const [problem, setProblem] = useState<string | null>(null);
  const recording = useRef<MicrophoneRecording | null>(null);
  const recorded = useRef<File | null>(null);
  const upload = useRef<AbortController | null>(null);
  const limit = useRef<number | null>(null);
  // Each start and each release moves this on, so what an earlier attempt's promises bring
  // back late (a microphone granted after Cancel, an upload's answer) is dropped.
  const attempt = useRef(0);
  const callbacks = useRef({ onRecorded, onClosed });
  useEffect(() => {
    callbacks.current = { onRecorded, onClosed };
  }, [onRecorded, onClosed]);

  const release = useCallback(() => {
    attempt.current += 1;
    if (limit.current !== null) window.clearTimeout(limit.current);
    limit.current = null;
    recording.current?.discard();
    recording.current = null;
    upload.current?.abort();
    upload.current = null;
    recorded.current = null;
  }, []);

  const deliver = useCallback(
    async (file: File) => {
      const mine = attempt.current;
      const controller = new AbortController();
      upload.current = controller;
      recorded.current = file;
      setState({ phase: "sending", progress: 0 });
      try {
        const attachment = await uploadFile<{ id: string }>(
          `/api/chats/${chatId}/attachments`,
          file,
          {
            signal: controller.signal,
            onProgress: (progress) => {
              if (mine === attempt.current) setState({ phase: "sending", progress });
            },
          },
        );
        if (mine !== attempt.current) return;
        upload.current = null;
        recorded.current = null;
        setState({ phase: "idle" });
        callbacks.current.onRecorded({ id: attachment.id, fileName: file.name });
      } catch (error) {
        if (mine !== attempt.current) return;
        upload.current = null;
        setState({
          phase: "failed",
          message: error instanceof Error ? error.message : "The voice message could not be sent",
        });
      }
    },
    [chatId],
  );

  /** Stops recording and sends what there is. */
  const send = useCallback(async () => {
    const current = recording.current;
    if (!current) return;
    recording.current = null;
    if (limit.current !== null) window.clearTimeout(limit.current);
    limit.current = null;
    const mine = attempt.current;
    setState({ phase: "sending", progress: 0 });
    const file = await current.finish(new Date(), browserTimeZone());
    if (mine !== attempt.current) return;
    if (!file) {
      setState({ phase: "idle" });
      setProblem("Nothing was recorded. Check that your microphone is on, then try again.");
      return;
    }
    await deliver(file);
  }, [deliver]);

  const start = useCallback(async () => {
    release();
    const mine = attempt.current;
    setProblem(null);
    setState({ phase: "opening" });
    try {
      const opened = await MicrophoneRecording.open(() => {
        if (mine === attempt.current) void send();
      });
      if (mine !== attempt.current) {
        opened.discard();
        return;
      }
      recording.current = opened;
      limit.current = window.setTimeout(() => void send(), VOICE_MESSAGE_MAX_SECONDS * 1000);
      setState({ phase: "recording", startedAt: Date.now() });
    } catch (error) {
      if (mine !== attempt.current) return;
      setState({ phase: "idle" });
      setProblem(error instanceof RecordingError ? error.message : microphoneProblem(error));
    }
  }, [release, send]);

  const cancel = useCallback(() => {
    release();
    setState({ phase: "idle" });
  }, [release]);

  const retry = useCallback(() => {
    const file = recorded.current;
    if (file) void deliver(file);
  }, [deliver]);

  // Another chat, or the composer gone: nothing of this recording carries on.
  useEffect(
    () => () => {
      release();
      setState({ phase: "idle" });
      setProblem(null);
    },
    [release, chatId],
  );

  // The bar that replaced the message box closes: the keyboard goes back to the box.
  const open = state.phase === "recording" || state.phase === "sending" || state.phase === "failed";
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open) callbacks.current.onClosed();
    wasOpen.current = open;
  }, [open]);

  return { state, open, problem, start, send, cancel, retry };
}

export type VoiceRecorder = ReturnType<typeof useVoiceRecorder>;
