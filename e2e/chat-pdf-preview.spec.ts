import { readFileSync } from "node:fs";
import type { Locator, Page, Worker } from "@playwright/test";
import { pdfWithPages } from "../test/pdf";
import { expect, test } from "./fixtures";
import {
  closeAll,
  composer,
  keepScreenshot,
  log,
  messageWithText,
  newUserOverHttp,
  randomTag,
  startDirectChat,
  shareWorkspace,
} from "./chat-helpers";

async function attachPdf(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page
    .locator("input[type=file]")
    .setInputFiles({ name, mimeType: "application/pdf", buffer });
  await expect(page.getByTestId("upload").filter({ hasText: name })).toHaveAttribute(
    "data-state",
    "done",
  );
}

/** Whether the drawn page's canvas holds anything but the paper: text is dark pixels. */
function hasInk(preview: Locator): Promise<boolean> {
  return preview.locator("canvas").evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128 && data[i + 3]! > 0) return true;
    return false;
  });
}

test("a PDF in a chat opens in a preview, page by page, with its text selectable, from the message and from the chat's files; a broken one says so", async ({
  browser,
}, testInfo) => {
  const tag = randomTag();
  const benName = `Ben ${tag}`;
  const ann = await newUserOverHttp(browser, `Ann ${tag}`);
  const ben = await newUserOverHttp(browser, benName, { width: 390, height: 844 });
  await shareWorkspace(ann, ben);
  const chatId = await startDirectChat(ann, benName);

  await attachPdf(ann, "figures.pdf", pdfWithPages(["Quarterly figures", "Second page"]));
  await attachPdf(ann, "broken.pdf", Buffer.from("%PDF-1.7\nnot really a document\n"));
  await composer(ann).fill("The report");
  await ann.getByRole("button", { name: "Send" }).click();
  await expect(messageWithText(ann, "The report")).toBeVisible();

  // Ben, on a phone, opens it from the message.
  await ben.goto(`/chat/${chatId}`);
  const opener = log(ben).getByRole("button", { name: /^Preview figures\.pdf/ });
  await expect(opener).toContainText("PDF");
  await opener.click();
  const preview = ben.getByRole("dialog", { name: "figures.pdf" });
  await expect(preview.getByText("Page 1 of 2")).toBeVisible();
  const page = preview.getByRole("document", { name: "Page 1" });
  await expect(page).toHaveAttribute("aria-busy", "false");
  await expect(page.getByText("Quarterly figures")).toBeAttached();
  expect(await hasInk(preview)).toBe(true);
  await keepScreenshot(ben, testInfo, "pdf-preview-phone.png");
  // The page fits the phone's width.
  const box = (await preview.locator("canvas").boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await expect(preview.getByRole("button", { name: "Previous page" })).toBeDisabled();
  await preview.getByRole("button", { name: "Next page" }).click();
  await expect(preview.getByText("Page 2 of 2")).toBeVisible();
  await expect(preview.getByRole("document", { name: "Page 2" })).toHaveAttribute(
    "aria-busy",
    "false",
  );
  await expect(preview.getByText("Second page")).toBeAttached();
  await expect(preview.getByRole("button", { name: "Next page" })).toBeDisabled();
  await expect(preview.getByRole("link", { name: "Download" })).toHaveAttribute(
    "download",
    "figures.pdf",
  );
  await ben.keyboard.press("Escape");
  await expect(preview).toBeHidden();
  await expect(opener).toBeFocused();

  // A file that only looks like a PDF is explained, not shown broken.
  await log(ben)
    .getByRole("button", { name: /^Preview broken\.pdf/ })
    .click();
  const broken = ben.getByRole("dialog", { name: "broken.pdf" });
  await expect(broken.getByRole("alert")).toHaveText(/could not be read as a PDF/);
  await ben.keyboard.press("Escape");

  // Ann opens it from the chat's files, and turns pages with the arrow keys.
  await ann.getByRole("button", { name: "Conversation info" }).click();
  const files = ann.getByTestId("chat-files");
  await files.getByRole("tab", { name: "Files" }).click();
  await files.getByRole("button", { name: "Preview figures.pdf" }).click();
  const fromFiles = ann.getByRole("dialog", { name: "figures.pdf" });
  await expect(fromFiles.getByText("Page 1 of 2")).toBeVisible();
  await expect(fromFiles.getByRole("document", { name: "Page 1" })).toHaveAttribute(
    "aria-busy",
    "false",
  );
  await ann.keyboard.press("ArrowRight");
  await expect(fromFiles.getByText("Page 2 of 2")).toBeVisible();
  await ann.keyboard.press("ArrowLeft");
  await expect(fromFiles.getByText("Page 1 of 2")).toBeVisible();

  await closeAll(ann, ben);
});

test("pdf.js's standard fonts, CMaps and WebAssembly decoders come from Parley's origin, and the preview's worker can run the decoders", async ({
  browser,
  request,
}) => {
  // What pdf.js asks for (lib/pdf/pdf-options.ts): each file as the pinned version ships it.
  for (const [url, file, type] of [
    [
      "/pdfjs/standard_fonts/LiberationSans-Regular.ttf",
      "node_modules/pdfjs-dist/standard_fonts/LiberationSans-Regular.ttf",
      /^font\/ttf/,
    ],
    [
      "/pdfjs/standard_fonts/FoxitSymbol.pfb",
      "node_modules/pdfjs-dist/standard_fonts/FoxitSymbol.pfb",
      /./,
    ],
    ["/pdfjs/cmaps/UniJIS-UCS2-H.bcmap", "node_modules/pdfjs-dist/cmaps/UniJIS-UCS2-H.bcmap", /./],
    [
      "/pdfjs/wasm/openjpeg.wasm",
      "node_modules/pdfjs-dist/wasm/openjpeg.wasm",
      /^application\/wasm/,
    ],
    ["/pdfjs/wasm/jbig2.wasm", "node_modules/pdfjs-dist/wasm/jbig2.wasm", /^application\/wasm/],
  ] as const) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(200);
    expect(response.headers()["content-type"], url).toMatch(type);
    expect((await response.body()).equals(readFileSync(file)), url).toBe(true);
  }

  const tag = randomTag();
  const benName = `Ben ${tag}`;
  const ann = await newUserOverHttp(browser, `Ann ${tag}`);
  const ben = await newUserOverHttp(browser, benName);
  await shareWorkspace(ann, ben);
  const chatId = await startDirectChat(ann, benName);
  await attachPdf(ann, "helvetica.pdf", pdfWithPages(["Set in Helvetica"]));
  await composer(ann).fill("Standard font");
  await ann.getByRole("button", { name: "Send" }).click();
  await expect(messageWithText(ann, "Standard font")).toBeVisible();

  await ben.goto(`/chat/${chatId}`);
  await log(ben)
    .getByRole("button", { name: /^Preview helvetica\.pdf/ })
    .click();
  const preview = ben.getByRole("dialog", { name: "helvetica.pdf" });
  const page = preview.getByRole("document", { name: "Page 1" });
  await expect(page).toHaveAttribute("aria-busy", "false");
  await expect(page.getByText("Set in Helvetica")).toBeAttached();
  expect(await hasInk(preview)).toBe(true);

  // The worker that parses the file (pdf.js's, which names itself on its global) can compile
  // the decoders it fetches from there: no Content-Security-Policy of the page's stops it.
  let worker: Worker | null = null;
  for (const candidate of ben.workers()) {
    if (await candidate.evaluate(() => "pdfjsWorker" in globalThis)) worker = candidate;
  }
  expect(worker).not.toBeNull();
  const compiled = await worker!.evaluate(async () => {
    const names = ["openjpeg.wasm", "jbig2.wasm", "qcms_bg.wasm"];
    const results: string[] = [];
    for (const name of names) {
      const response = await fetch(`/pdfjs/wasm/${name}`);
      try {
        await WebAssembly.compile(await response.arrayBuffer());
        results.push(`${name} ok`);
      } catch (error) {
        results.push(`${name} ${String(error)}`);
      }
    }
    return results;
  });
  expect(compiled).toEqual(["openjpeg.wasm ok", "jbig2.wasm ok", "qcms_bg.wasm ok"]);
  await closeAll(ann, ben);
});
