/** How often the level is read: often enough to feel live, far cheaper than every frame. */
const INTERVAL_MS = 100;
/** Samples per reading: about one interval's worth at 44.1–48 kHz, so no sound falls between. */
const WINDOW = 4_096;
/** RMS levels (full scale is 1): starting takes a clear voice, stopping real quiet. */
const START_LEVEL = 0.02;
const STOP_LEVEL = 0.01;
/** Quiet readings before speaking ends, so the pauses between words do not flicker. */
const QUIET_READINGS = 6;

interface Meter {
  context: AudioContext;
  source: MediaStreamAudioSourceNode;
  analyser: AnalyserNode;
  samples: Float32Array<ArrayBuffer>;
}

/**
 * Calls onChange each time the stream's sound starts or stops being speech-loud. A stream
 * without an audio track is silent until one is added to it. Chrome plays a remote WebRTC
 * stream into Web Audio only while a media element plays it too (muted will do). Returns the
 * function that stops watching.
 */
export function watchSpeaking(
  stream: MediaStream,
  onChange: (speaking: boolean) => void,
): () => void {
  let meter: Meter | undefined;
  let speaking = false;
  let quiet = 0;

  const timer = setInterval(() => {
    meter ??= openMeter(stream);
    if (!meter) return;
    const level = rms(meter);
    if (!speaking && level >= START_LEVEL) {
      speaking = true;
      quiet = 0;
      onChange(true);
    } else if (speaking) {
      quiet = level < STOP_LEVEL ? quiet + 1 : 0;
      if (quiet >= QUIET_READINGS) {
        speaking = false;
        onChange(false);
      }
    }
  }, INTERVAL_MS);

  return () => {
    clearInterval(timer);
    if (!meter) return;
    meter.source.disconnect();
    void meter.context.close().catch(() => undefined);
  };
}

function openMeter(stream: MediaStream): Meter | undefined {
  if (stream.getAudioTracks().length === 0) return undefined;
  const context = new AudioContext();
  // Created outside a click, a context may start suspended and hear nothing until resumed.
  void context.resume().catch(() => undefined);
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = WINDOW;
  // The analyser is never connected onwards: measuring must not play the sound a second time.
  source.connect(analyser);
  return { context, source, analyser, samples: new Float32Array(WINDOW) };
}

function rms({ analyser, samples }: Meter): number {
  analyser.getFloatTimeDomainData(samples);
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / samples.length);
}
