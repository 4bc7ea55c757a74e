export type CallKind = "audio" | "video";

export interface DeviceChoice {
  audioInputId?: string;
  videoInputId?: string;
}

export interface LocalMedia {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
}

/** Why the browser gave no media: `denied` also covers a cancelled screen-share picker. */
export type CallMediaProblem = "denied" | "missing" | "busy" | "unsupported" | "failed";

export class CallMediaError extends Error {
  constructor(
    message: string,
    readonly problem: CallMediaProblem,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CallMediaError";
  }
}

const MESSAGES: Record<CallKind, Record<"denied" | "missing" | "busy" | "failed", string>> = {
  audio: {
    denied: "Parley may not use your microphone: allow it in the browser's site settings",
    missing: "No microphone found",
    busy: "The microphone is in use by another app",
    failed: "Parley could not open your microphone",
  },
  video: {
    denied:
      "Parley may not use your microphone or camera: allow them in the browser's site settings",
    missing: "No microphone or camera found",
    busy: "The microphone or camera is in use by another app",
    failed: "Parley could not open your microphone or camera",
  },
};

/** An audio call opens the microphone; a video call the microphone and the camera. */
export async function openLocalMedia(kind: CallKind, devices: DeviceChoice): Promise<LocalMedia> {
  const mediaDevices = available();
  const constraints: MediaStreamConstraints = {
    // `ideal`, not `exact`: a remembered device that is gone falls back to another.
    audio: devices.audioInputId ? { deviceId: { ideal: devices.audioInputId } } : true,
    video:
      kind === "video"
        ? {
            ...(devices.videoInputId ? { deviceId: { ideal: devices.videoInputId } } : {}),
            // A mesh uploads each frame once per peer, so a modest size keeps six people smooth.
            width: { ideal: 640 },
            height: { ideal: 360 },
          }
        : false,
  };
  try {
    const stream = await mediaDevices.getUserMedia(constraints);
    return { audio: stream.getAudioTracks()[0] ?? null, video: stream.getVideoTracks()[0] ?? null };
  } catch (error) {
    const problem = problemOf(error);
    throw new CallMediaError(MESSAGES[kind][problem], problem, { cause: error });
  }
}

/** The browser's "stop sharing" ends the track: listen for `ended` to go back to the camera. */
export async function openScreenShare(): Promise<MediaStreamTrack> {
  const mediaDevices = available();
  let stream: MediaStream;
  try {
    stream = await mediaDevices.getDisplayMedia({ video: true, audio: false });
  } catch (error) {
    const problem = problemOf(error);
    const message =
      problem === "denied"
        ? "Screen sharing was cancelled or is not allowed"
        : "Parley could not share your screen";
    throw new CallMediaError(message, problem, { cause: error });
  }
  const track = stream.getVideoTracks()[0];
  if (!track) throw new CallMediaError("Parley could not share your screen", "failed");
  // Keeps text sharp when bandwidth is short, at the cost of frame rate.
  track.contentHint = "detail";
  return track;
}

/** Only devices with an id: until the user allows media, browsers list nameless placeholders. */
export async function listDevices(): Promise<{
  audioInputs: MediaDeviceInfo[];
  videoInputs: MediaDeviceInfo[];
}> {
  const all = (await available().enumerateDevices()).filter((device) => device.deviceId !== "");
  return {
    audioInputs: all.filter((device) => device.kind === "audioinput"),
    videoInputs: all.filter((device) => device.kind === "videoinput"),
  };
}

/** Browsers hide mediaDevices outside a secure context (plain http on another host). */
function available(): MediaDevices {
  // The DOM typings promise mediaDevices; an insecure page has it undefined.
  const mediaDevices = navigator.mediaDevices as MediaDevices | undefined;
  if (!mediaDevices) {
    throw new CallMediaError("Calls need a secure (https) connection to Parley", "unsupported");
  }
  return mediaDevices;
}

function problemOf(error: unknown): "denied" | "missing" | "busy" | "failed" {
  const name = error instanceof Error || error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return "denied";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "missing";
  if (name === "NotReadableError" || name === "AbortError") return "busy";
  return "failed";
}
