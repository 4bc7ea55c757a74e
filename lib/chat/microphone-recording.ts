import {
  chooseRecordingType,
  microphoneProblem,
  recordingUploadType,
  VOICE_BITS_PER_SECOND,
  voiceMessageFileName,
} from "./voice-recording";

/** Why a recording could not start, in words for the person. */
export class RecordingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RecordingError";
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/**
 * One voice message being recorded: the microphone's stream and a MediaRecorder on it. It
 * ends in `finish` (the recording as a file) or `discard`; both give the microphone back, so
 * the browser's recording indicator goes out.
 */
export class MicrophoneRecording {
  private readonly chunks: Blob[] = [];
  private readonly stopped: Promise<void>;
  private ending = false;

  private constructor(
    private readonly stream: MediaStream,
    private readonly recorder: MediaRecorder,
    onInterrupted: () => void,
  ) {
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data.size > 0) this.chunks.push(event.data);
    });
    this.stopped = new Promise((resolve) => {
      recorder.addEventListener("stop", () => resolve(), { once: true });
    });
    // The microphone unplugged or its permission withdrawn stops the recorder by itself.
    void this.stopped.then(() => {
      if (!this.ending) onInterrupted();
    });
  }

  /**
   * Asks for the microphone and starts recording. Rejects with a RecordingError that says
   * what to do (allow the microphone, plug one in) when there is nothing to record from.
   */
  static async open(onInterrupted: () => void): Promise<MicrophoneRecording> {
    // The DOM typings promise both; an insecure page or an older browser has neither.
    const devices = navigator.mediaDevices as MediaDevices | undefined;
    if (!devices || typeof MediaRecorder === "undefined") {
      throw new RecordingError("This browser cannot record voice messages here.");
    }
    let stream: MediaStream;
    try {
      stream = await devices.getUserMedia({ audio: true });
    } catch (error) {
      throw new RecordingError(microphoneProblem(error), { cause: error });
    }
    try {
      const mimeType = chooseRecordingType((type) => MediaRecorder.isTypeSupported(type));
      const recorder = new MediaRecorder(stream, {
        ...(mimeType ? { mimeType } : {}),
        audioBitsPerSecond: VOICE_BITS_PER_SECOND,
      });
      const recording = new MicrophoneRecording(stream, recorder, onInterrupted);
      recorder.start();
      return recording;
    } catch (error) {
      stopTracks(stream);
      throw new RecordingError(microphoneProblem(error), { cause: error });
    }
  }

  /**
   * Stops recording and gives the microphone back; the recording as a file named after `at`
   * in `timeZone`, or null when nothing was captured.
   */
  async finish(at: Date, timeZone: string): Promise<File | null> {
    this.ending = true;
    if (this.recorder.state !== "inactive") this.recorder.stop();
    stopTracks(this.stream);
    // The last data arrives just before "stop".
    await this.stopped;
    if (this.chunks.length === 0) return null;
    const type = this.recorder.mimeType;
    return new File(this.chunks, voiceMessageFileName(at, timeZone, type), {
      type: recordingUploadType(type),
    });
  }

  /** Throws the recording away and gives the microphone back. */
  discard(): void {
    this.ending = true;
    if (this.recorder.state !== "inactive") this.recorder.stop();
    stopTracks(this.stream);
    this.chunks.length = 0;
  }
}
