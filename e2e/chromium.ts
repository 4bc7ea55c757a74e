import fs from "node:fs";

/**
 * Chromium as Parley's browser tests and benchmarks run it: Debian's /usr/bin/chromium where
 * it is installed (else `preferred`, else Playwright's own), quiet, with a fake camera and
 * microphone (a test pattern and a tone) that pages may use without a prompt, and sound
 * allowed without a click first.
 */
export function chromiumLaunchOptions(preferred?: string): {
  executablePath: string | undefined;
  args: string[];
} {
  return {
    executablePath:
      preferred ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
    args: [
      // Chromium refuses its sandbox to root, which CI containers often are.
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      "--autoplay-policy=no-user-gesture-required",
    ],
  };
}
