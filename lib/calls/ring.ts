/**
 * A phone's ring, made in the page (two tones, twice, every few seconds): nothing to download.
 * Browsers keep audio silent until the page has been used; the ring then simply is not heard.
 */
export function startRinging(): () => void {
  if (typeof AudioContext === "undefined") return () => undefined;
  const context = new AudioContext();
  const ringOnce = () => {
    const start = context.currentTime;
    for (const offset of [0, 0.5]) {
      for (const frequency of [440, 480]) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.05, start + offset);
        gain.gain.setValueAtTime(0, start + offset + 0.4);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(start + offset);
        oscillator.stop(start + offset + 0.4);
      }
    }
  };
  ringOnce();
  const timer = setInterval(ringOnce, 3_000);
  return () => {
    clearInterval(timer);
    void context.close();
  };
}
