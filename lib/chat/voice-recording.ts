/**
 * The pure half of voice messages: which format to record in, what the file is called, how
 * long a recording may run, how a length reads, and what to say when the microphone is
 * refused. The recording itself is `components/chat/use-voice-recorder.ts`.
 */

/**
 * The longest voice message, in seconds. A voice message is something to listen to in the
 * flow of a chat, not a podcast; the whole recording is held in memory until it is sent; and
 * at VOICE_BITS_PER_SECOND five minutes is about 1.2 MB, far below the attachment limit and
 * gentle on the sender's storage quota.
 */
export const VOICE_MESSAGE_MAX_SECONDS = 5 * 60;

/** Opus at 32 kbit/s carries speech clearly; the browsers' default (~128 kbit/s) is for music. */
export const VOICE_BITS_PER_SECOND = 32_000;

/**
 * Recording formats in order of preference, each one the server accepts as audio
 * (server/media/file-types.ts): Opus in WebM (Chromium, Firefox), then whatever WebM, Ogg or
 * MP4 the browser has (Safari records only MP4).
 */
export const RECORDING_TYPES = [
  "audio/webm;codecs=opus",
  "audio/webm",
  "audio/ogg;codecs=opus",
  "audio/ogg",
  "audio/mp4",
] as const;

/**
 * The first of RECORDING_TYPES the browser can record, or null: then MediaRecorder is left to
 * pick its own default, and the type it reports decides the file's extension.
 */
export function chooseRecordingType(isTypeSupported: (type: string) => boolean): string | null {
  return RECORDING_TYPES.find((type) => isTypeSupported(type)) ?? null;
}

/** "audio/webm;codecs=opus" → "audio/webm": the container, as the upload declares it. */
export function containerType(mimeType: string): string {
  return mimeType.split(";")[0]!.trim().toLowerCase();
}

// The extensions the server stores each container's audio under.
const EXTENSIONS: Record<string, string> = {
  "audio/webm": "weba",
  "audio/ogg": "ogg",
  "audio/mp4": "m4a",
};

/** The extension of a recording of this type; WebM audio when the browser did not say. */
export function recordingExtension(mimeType: string): string {
  return EXTENSIONS[containerType(mimeType)] ?? "weba";
}

/** The type a recording is uploaded as: its container, audio/webm when the browser did not say. */
export function recordingUploadType(mimeType: string): string {
  const container = containerType(mimeType);
  return container in EXTENSIONS ? container : "audio/webm";
}

/**
 * "Voice message 2026-12-07 10.31.05.weba": when it was recorded, in the sender's zone, with
 * dots in the time because some file systems refuse colons in a name when it is downloaded.
 */
export function voiceMessageFileName(at: Date, timeZone: string, mimeType: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? "00";
  const day = `${part("year")}-${part("month")}-${part("day")}`;
  const time = `${part("hour")}.${part("minute")}.${part("second")}`;
  return `Voice message ${day} ${time}.${recordingExtension(mimeType)}`;
}

/** Whether a file is a voice message recorded in Parley, by the name it was given. */
export function isVoiceMessageName(fileName: string): boolean {
  return /^Voice message \d{4}-\d{2}-\d{2} \d{2}\.\d{2}\.\d{2}\.\w+$/.test(fileName);
}

/**
 * A length or a position in a recording: "00:07", "04:59", "1:02:03". Anything not yet known
 * (NaN, Infinity, negative) reads as "00:00".
 */
export function formatClock(seconds: number): string {
  const whole = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, "0");
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}`
    : `${String(minutes).padStart(2, "0")}:${rest}`;
}

/** The same, as a screen reader should say it: "1 minute 5 seconds". */
export function spokenDuration(seconds: number): string {
  const whole = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (minutes === 0) return unit(rest, "second");
  return rest === 0
    ? unit(minutes, "minute")
    : `${unit(minutes, "minute")} ${unit(rest, "second")}`;
}

/** Why there is nothing to record, as the person can act on it. */
export function microphoneProblem(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Parley may not use your microphone: allow it in the browser's site settings.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No microphone found.";
    case "NotReadableError":
    case "AbortError":
      return "The microphone is in use by another app.";
    case "NotSupportedError":
      return "This browser cannot record voice messages.";
    default:
      return "Parley could not open your microphone.";
  }
}
