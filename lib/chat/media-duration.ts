// Far past the end of any file: seeking there makes the browser find where it ends.
const PAST_THE_END = 1e101;

/**
 * Reports how long an audio or video element's file is, once known. A recording made with
 * MediaRecorder (WebM) states no length in its header, so its duration reads Infinity and
 * nothing can seek in it: the element is sent far past the end once, which makes the browser
 * find the real end, then back to the start. `onMeasuring` says when that detour starts and
 * ends, so the positions it passes through can be ignored. Returns the listeners' removal.
 *
 * An element whose metadata is already in (one rendered on the server, read before React
 * hydrated: that event is not replayed) is measured at once.
 */
export function watchDuration(
  element: HTMLMediaElement,
  {
    onDuration,
    onMeasuring,
  }: { onDuration: (seconds: number) => void; onMeasuring?: (measuring: boolean) => void },
): () => void {
  let measuring = false;
  const onMetadata = () => {
    if (Number.isFinite(element.duration)) {
      onDuration(element.duration);
      return;
    }
    measuring = true;
    onMeasuring?.(true);
    element.currentTime = PAST_THE_END;
  };
  const onDurationChange = () => {
    if (!Number.isFinite(element.duration)) return;
    onDuration(element.duration);
    if (measuring) {
      measuring = false;
      element.currentTime = 0;
      onMeasuring?.(false);
    }
  };
  element.addEventListener("loadedmetadata", onMetadata);
  element.addEventListener("durationchange", onDurationChange);
  if (element.readyState >= HTMLMediaElement.HAVE_METADATA) onMetadata();
  return () => {
    element.removeEventListener("loadedmetadata", onMetadata);
    element.removeEventListener("durationchange", onDurationChange);
  };
}
