import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import {
  closeAll,
  log,
  newUserOverHttp,
  randomTag,
  startDirectChat,
  shareWorkspace,
} from "./chat-helpers";

/** Long messages, sent through the app's own tRPC endpoint: they wrap, so width moves them. */
async function sendLong(page: Page, chatId: string, count: number): Promise<void> {
  await page.evaluate(
    async ({ chatId, count }) => {
      for (let i = 1; i <= count; i++) {
        const content = `Paragraph ${i}: ${"a sentence that goes on and on ".repeat(12)}`;
        const response = await fetch("/api/trpc/messages.send", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ json: { chatId, content } }),
        });
        if (!response.ok) throw new Error(`send: ${response.status}`);
      }
    },
    { chatId, count },
  );
}

/** Where a message's top is, relative to the top of the conversation's scroller. */
function topOf(page: Page, text: string): Promise<number> {
  return log(page)
    .getByTestId("message")
    .filter({ hasText: text })
    .evaluate((row) => {
      const scroller = row.closest("[role='log']")!;
      return row.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    });
}

test("opening the info panel beside a conversation keeps the reader's place in it", async ({
  browser,
}) => {
  const tag = randomTag();
  const ann = await newUserOverHttp(browser, `Ann ${tag}`, { width: 1440, height: 800 });
  const ben = await newUserOverHttp(browser, `Ben ${tag}`);
  await shareWorkspace(ann, ben);
  await ben.context().close();
  const chatId = await startDirectChat(ann, `Ben ${tag}`);
  await sendLong(ann, chatId, 30);
  await ann.reload();
  await expect(log(ann).getByText("Paragraph 30:")).toBeInViewport();

  // At the bottom: the newest message stays in view as the conversation narrows and grows.
  await ann.getByRole("button", { name: "Conversation info" }).click();
  await expect(ann.getByTestId("info-panel")).toBeVisible();
  await expect(log(ann).getByText("Paragraph 30:")).toBeInViewport();
  await ann.getByRole("button", { name: "Close conversation info" }).click();

  // Scrolled up by the reader: the message at the top of the view stays there.
  await log(ann).hover();
  await ann.mouse.wheel(0, -2_500);
  const top = await log(ann).evaluate((scroller) => {
    const box = scroller.getBoundingClientRect();
    const row = [...scroller.querySelectorAll<HTMLElement>("[data-testid='message']")].find(
      (r) => r.getBoundingClientRect().bottom > box.top + 40,
    )!;
    const text = /Paragraph \d+:/.exec(row.innerText)?.[0] ?? "";
    return { text, offset: row.getBoundingClientRect().top - box.top };
  });
  expect(top.text).toMatch(/^Paragraph \d+:/);
  await ann.getByRole("button", { name: "Conversation info" }).click();
  await expect(ann.getByTestId("info-panel")).toBeVisible();
  await expect
    .poll(async () => Math.abs((await topOf(ann, top.text)) - top.offset))
    .toBeLessThan(24);
  await expect(log(ann).getByText("Paragraph 30:")).not.toBeInViewport();

  await closeAll(ann);
});
