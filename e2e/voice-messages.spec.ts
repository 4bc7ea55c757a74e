import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import {
  closeAll,
  composer,
  keepScreenshot,
  log,
  newUserOverHttp,
  randomTag,
  shareWorkspace,
  startDirectChat,
} from "./chat-helpers";
import { expectAccessibleInBothThemes } from "./helpers";

/** Keeps every stream the page opens with getUserMedia, so the test can see it given back. */
async function watchMicrophone(page: Page): Promise<void> {
  await page.context().addInitScript(() => {
    const opened: MediaStream[] = [];
    (window as unknown as { __streams: MediaStream[] }).__streams = opened;
    // about:blank, before the first page, has no media devices.
    if (!("mediaDevices" in navigator)) return;
    const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await real(constraints);
      opened.push(stream);
      return stream;
    };
  });
}

/** How many microphone streams the page opened, and how many tracks of them are still live. */
function microphoneUse(page: Page): Promise<{ opened: number; live: number }> {
  return page.evaluate(() => {
    const streams = (window as unknown as { __streams: MediaStream[] }).__streams;
    return {
      opened: streams.length,
      live: streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === "live").length,
    };
  });
}

/** The person refused the microphone: the browser answers every request with NotAllowedError. */
async function refuseMicrophone(page: Page): Promise<void> {
  await page.context().addInitScript(() => {
    if (!("mediaDevices" in navigator)) return;
    navigator.mediaDevices.getUserMedia = () =>
      Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
  });
}

/** A second of changing colours, recorded in the page as WebM video. */
function recordVideoInPage(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 160;
    canvas.height = 120;
    const context = canvas.getContext("2d")!;
    const recorder = new MediaRecorder(canvas.captureStream(10), { mimeType: "video/webm" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    let frame = 0;
    const paint = () => {
      context.fillStyle = frame++ % 2 ? "#cc3333" : "#3333cc";
      context.fillRect(0, 0, canvas.width, canvas.height);
    };
    paint();
    const timer = setInterval(paint, 100);
    recorder.start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    recorder.stop();
    await stopped;
    clearInterval(timer);
    return [...new Uint8Array(await new Blob(chunks).arrayBuffer())];
  });
}

test("a voice message: cancel sends nothing, a recording is sent, both play it inline and seek; video plays inline; a refused microphone is explained", async ({
  browser,
}, testInfo) => {
  const tag = randomTag();
  const benName = `Ben ${tag}`;
  const ann = await newUserOverHttp(browser, `Ann ${tag}`);
  const ben = await newUserOverHttp(browser, benName);
  await shareWorkspace(ann, ben);
  await watchMicrophone(ann);
  await refuseMicrophone(ben);
  const chatId = await startDirectChat(ann, benName);
  const uploads: string[] = [];
  ann.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith("/attachments")) {
      uploads.push(request.url());
    }
  });
  const record = ann.getByRole("button", { name: "Record voice message" });
  const timer = ann.getByRole("timer", { name: "Recording time" });

  // The microphone shows only while the box is empty.
  await composer(ann).fill("typing");
  await expect(record).toBeHidden();
  await composer(ann).fill("");

  // Cancelled: the bar goes, nothing is sent, the microphone is given back.
  await record.click();
  await expect(timer).toBeVisible();
  await expect(ann.getByRole("button", { name: "Send voice message" })).toBeFocused();
  await expect(composer(ann)).toBeHidden();
  const axe = await new AxeBuilder({ page: ann })
    .include('[aria-label="Voice message"]')
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await ann.getByRole("button", { name: "Cancel recording" }).click();
  await expect(timer).toBeHidden();
  await expect(composer(ann)).toBeFocused();
  expect(await microphoneUse(ann)).toEqual({ opened: 1, live: 0 });
  expect(uploads).toEqual([]);

  // Recorded for two seconds and sent: the timer runs, and the message carries a player.
  await record.click();
  await expect(timer).toHaveText(/^00:0[01]$/);
  await expect(timer).toHaveText("00:02", { timeout: 5_000 });
  await keepScreenshot(ann, testInfo, "voice-recording.png");
  await ann.getByRole("button", { name: "Send voice message" }).click();
  await expect(composer(ann)).toBeFocused();
  expect(await microphoneUse(ann)).toEqual({ opened: 2, live: 0 });
  const annPlayer = log(ann).getByRole("button", { name: /^Play Voice message \d{4}-\d\d-\d\d/ });
  await expect(annPlayer).toBeVisible();
  await expect(log(ann).getByTestId("audio-duration")).toHaveText(/^00:0[1-9]$/);
  await expect(log(ann).getByText("Voice message", { exact: true })).toBeVisible();
  await expect(log(ann).getByRole("link", { name: /^Download Voice message/ })).toHaveAttribute(
    "download",
    /\.weba$/,
  );
  await keepScreenshot(ann, testInfo, "voice-message-sent.png");

  // A video plays in the bubble too, only its metadata loaded until played.
  const video = await recordVideoInPage(ann);
  await ann.locator("input[type=file]").setInputFiles({
    name: "clip.webm",
    mimeType: "video/webm",
    buffer: Buffer.from(video),
  });
  await expect(ann.getByTestId("upload")).toHaveAttribute("data-state", "done");
  await ann.getByRole("button", { name: "Send", exact: true }).click();

  // Ben hears it: play starts the audio, the slider moves the position.
  await ben.goto(`/chat/${chatId}`);
  const play = log(ben).getByRole("button", { name: /^Play Voice message/ });
  await expect(play).toBeVisible();
  const duration = log(ben).getByTestId("audio-duration");
  await expect(duration).toHaveText(/^00:0[1-9]$/);
  const audio = log(ben).locator("audio");
  expect(await audio.evaluate((el: HTMLAudioElement) => el.duration)).toBeGreaterThan(1.5);
  await play.click();
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.paused)).toBe(false);
  await log(ben)
    .getByRole("button", { name: /^Pause Voice message/ })
    .click();
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.paused)).toBe(true);
  const slider = log(ben).getByRole("slider", { name: /^Seek in Voice message/ });
  // A click in the middle of the slider seeks to about half way.
  const box = (await slider.boundingBox())!;
  await slider.click({ position: { x: box.width / 2, y: box.height / 2 } });
  const seconds = await audio.evaluate((el: HTMLAudioElement) => el.duration);
  await expect
    .poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime))
    .toBeGreaterThan(seconds * 0.3);
  expect(await audio.evaluate((el: HTMLAudioElement) => el.currentTime)).toBeLessThan(
    seconds * 0.7,
  );
  const at = Math.floor(await audio.evaluate((el: HTMLAudioElement) => el.currentTime));
  await expect(log(ben).getByTestId("audio-position")).toHaveText(`00:0${at}`);
  await slider.focus();
  await ben.keyboard.press("Home");
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime)).toBe(0);
  await expect(log(ben).getByTestId("audio-position")).toHaveText("00:00");

  const player = log(ben).getByTestId("attachment-video");
  await expect(player).toHaveAttribute("preload", "metadata");
  await expect
    .poll(() => player.evaluate((el: HTMLVideoElement) => el.readyState))
    .toBeGreaterThanOrEqual(1);
  expect(await player.evaluate((el: HTMLVideoElement) => el.videoWidth)).toBe(160);
  // A recording states no length: the player finds it, so the controls can seek.
  await expect
    .poll(() => player.evaluate((el: HTMLVideoElement) => el.duration))
    .toBeGreaterThan(0.5);
  expect(await player.evaluate((el: HTMLVideoElement) => el.duration)).toBeLessThan(5);
  expect(await player.evaluate((el: HTMLVideoElement) => el.currentTime)).toBe(0);
  await expect(log(ben).getByRole("link", { name: "Download clip.webm" })).toBeVisible();

  await keepScreenshot(ben, testInfo, "voice-message-players.png");

  // Ben's browser refuses the microphone: he is told why, and nothing breaks.
  await ben.getByRole("button", { name: "Record voice message" }).click();
  await expect(
    ben.getByRole("alert").filter({ hasText: /may not use your microphone/ }),
  ).toBeVisible();
  await expect(composer(ben)).toBeVisible();

  await expectAccessibleInBothThemes(ben);
  await closeAll(ann, ben);
});
