import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import {
  annAndBen,
  chatLink,
  closeAll,
  composer,
  keepScreenshot,
  log,
  messageWithText,
  newUser,
  randomTag,
  startDirectChat,
} from "./chat-helpers";
import { applyTheme } from "./helpers";

/** One message by its seq (a quote of it elsewhere does not count). */
function messageAt(page: Page, seq: number) {
  return log(page).locator(`[data-testid='message'][data-seq='${seq}']`);
}

/** The server's copy of a message (it has a seq), not the one still being sent. */
function confirmed(page: Page, text: string) {
  return messageWithText(page, text).and(page.locator("[data-seq]"));
}

interface Sent {
  id: string;
  seq: number;
}

/**
 * Sends messages as the page's user through the app's own tRPC endpoint, one after the
 * other: a long history in seconds rather than typing each one.
 */
async function sendFromPage(
  page: Page,
  chatId: string,
  messages: { content: string; replyToId?: string }[],
): Promise<Sent[]> {
  return page.evaluate(
    async ({ chatId, messages }) => {
      const sent: Sent[] = [];
      for (const message of messages) {
        const response = await fetch("/api/trpc/messages.send", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ json: { chatId, ...message } }),
        });
        if (!response.ok) throw new Error(`send: ${response.status} ${await response.text()}`);
        const body = (await response.json()) as { result: { data: { json: Sent } } };
        sent.push({ id: body.result.data.json.id, seq: body.result.data.json.seq });
      }
      return sent;
    },
    { chatId, messages },
  );
}

function searchDialog(page: Page) {
  return page.getByRole("dialog", { name: "Search messages" });
}

/** Ctrl+K: the dialog opens with the keyboard in its search box. */
async function openSearch(page: Page) {
  const dialog = searchDialog(page);
  // Right after a load the shortcut may come before the page listens for it.
  await expect(async () => {
    if (!(await dialog.isVisible())) await page.keyboard.press("Control+k");
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  const box = dialog.getByRole("combobox", { name: "Search messages" });
  await expect(box).toBeFocused();
  return { dialog, box };
}

/** Ctrl+K, type `word`, wait for the result whose snippet marks it. */
async function searchFor(page: Page, word: string) {
  const { dialog, box } = await openSearch(page);
  await box.fill(word);
  const hit = dialog.getByRole("option").filter({ hasText: word });
  await expect(hit).toHaveCount(1);
  await expect(hit.locator("mark")).toHaveText(word);
  return { dialog, box, hit };
}

/** The message is on screen, marked as the one jumped to, and has the keyboard focus. */
async function expectJumpedTo(page: Page, message: Sent, text: string) {
  await expect(messageAt(page, message.seq)).toContainText(text);
  await expect(messageAt(page, message.seq)).toBeInViewport();
  const marked = log(page).locator("[data-highlighted='true']");
  await expect(marked.locator(`[data-seq='${message.seq}']`)).toBeFocused();
}

/** The confirmed messages in the log: each seq once, in order, without a gap. */
async function expectWholeRun(page: Page) {
  const seqs = await log(page)
    .locator("[data-testid='message'][data-seq]")
    .evaluateAll((nodes) => nodes.map((node) => Number(node.getAttribute("data-seq"))));
  expect(seqs.length).toBeGreaterThan(0);
  seqs.forEach((seq, index) => {
    if (index > 0) expect(seq, `after seq ${seqs[index - 1]}`).toBe(seqs[index - 1]! + 1);
  });
}

test("search finds a message in a long chat and jumps to it; new messages wait below older history", async ({
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  const { tag, annName, benName, ann, ben } = await annAndBen(browser);
  const firstWord = `quokka${tag}`;
  const secondWord = `pangolin${tag}`;

  // Ann starts a direct chat with Ben and writes a little through the composer.
  const chatId = await startDirectChat(ann, benName);
  const annBox = composer(ann);
  for (const text of ["Hi Ben, long story ahead", "It starts like this"]) {
    await annBox.fill(text);
    await annBox.press("Enter");
    await expect(confirmed(ann, text)).toHaveCount(1);
  }

  // Then a long history: the two words to find lie far before the latest page.
  const [first] = await sendFromPage(ann, chatId, [
    { content: `Remember the ${firstWord} we saw at the zoo?` },
  ]);
  await sendFromPage(
    ann,
    chatId,
    Array.from({ length: 40 }, (_, i) => ({ content: `Filler one ${i + 1}` })),
  );
  const [second] = await sendFromPage(ann, chatId, [
    { content: `And then a ${secondWord} walked by.` },
  ]);
  await sendFromPage(
    ann,
    chatId,
    Array.from({ length: 80 }, (_, i) => ({ content: `Filler two ${i + 1}` })),
  );
  await sendFromPage(ann, chatId, [
    { content: "Quoting the very first story", replyToId: first!.id },
  ]);
  expect(second!.seq - first!.seq).toBe(41);

  // Ben opens the chat at its latest page: neither word is loaded.
  await ben.goto("/chat");
  await chatLink(ben, annName).click();
  await expect(messageWithText(ben, "Quoting the very first story")).toBeVisible();
  await expect(messageAt(ben, first!.seq)).toHaveCount(0);

  // The search dialog passes axe in both themes (a theme change reloads the page).
  for (const theme of ["light", "dark"] as const) {
    await applyTheme(ben, theme);
    await searchFor(ben, firstWord);
    const results = await new AxeBuilder({ page: ben })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const blocking = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ rule: v.id, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
    expect(blocking, `${theme} theme: search dialog`).toEqual([]);
    await ben.keyboard.press("Escape");
    await expect(searchDialog(ben)).toBeHidden();
  }
  await applyTheme(ben, "light");

  // Many results: the arrow keys move through them, and more load at the end of the list.
  const { dialog: many, box } = await openSearch(ben);
  await box.fill("filler");
  const options = many.getByRole("option");
  await expect(options).toHaveCount(20);
  await expect(many.getByRole("status")).toHaveText("20+ results");
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  await box.press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  await expect(box).toHaveAttribute(
    "aria-activedescendant",
    (await options.nth(1).getAttribute("id"))!,
  );
  await box.press("ArrowUp");
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  await many.getByRole("button", { name: "More results" }).click();
  await expect(options).toHaveCount(40);
  await ben.keyboard.press("Escape");
  await expect(many).toBeHidden();

  // Ctrl+K from the composer, the word, Enter: the chat opens at that message.
  await composer(ben).focus();
  const { dialog } = await searchFor(ben, firstWord);
  await expect(dialog.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
  await dialog.screenshot({ path: testInfo.outputPath("search-dialog.png") });
  await ben.keyboard.press("Enter");
  await expect(searchDialog(ben)).toBeHidden();
  await expect(ben).toHaveURL(new RegExp(`/chat/${chatId}\\?message=${first!.seq}$`));
  await expectJumpedTo(ben, first!, firstWord);
  await expectWholeRun(ben);
  await keepScreenshot(ben, testInfo, "search-jumped.png");

  // Older history on screen: Ann's new message waits, counted on "Jump to latest".
  const jumpToLatest = ben.getByRole("button", { name: /^Jump to latest/ });
  await expect(jumpToLatest).toBeVisible();
  await annBox.fill("Fresh news while you read");
  await annBox.press("Enter");
  await expect(ben.getByTestId("newer-count")).toHaveText("1 new");
  await expect(jumpToLatest).toHaveAccessibleName(/^Jump to latest\s*,\s*1 new$/);
  await expect(messageWithText(ben, "Fresh news while you read")).toHaveCount(0);

  // Back to the latest: the new message is there once, after all the others.
  await jumpToLatest.click();
  const fresh = messageWithText(ben, "Fresh news while you read");
  await expect(fresh).toHaveCount(1);
  await expect(fresh).toBeInViewport();
  await expect(log(ben).getByTestId("message").last()).toContainText("Fresh news while you read");
  await expect(messageAt(ben, first!.seq)).toHaveCount(0);
  await expectWholeRun(ben);

  // A reply's quote leads to the original, loading the page around it.
  await messageWithText(ben, "Quoting the very first story")
    .getByRole("button", { name: /^Reply to/ })
    .click();
  await expectJumpedTo(ben, first!, firstWord);

  // Scrolling down from there loads the newer pages; at the end, what arrived meanwhile
  // follows, once, and the conversation is live again.
  await annBox.fill("More news while you scroll");
  await annBox.press("Enter");
  await expect(ben.getByTestId("newer-count")).toHaveText("1 new");
  await expect(async () => {
    await log(ben).evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect(confirmed(ben, "More news while you scroll")).toHaveCount(1, { timeout: 1_000 });
  }).toPass();
  await expect(messageAt(ben, first!.seq)).toHaveCount(1);
  await expect(ben.getByTestId("newer-count")).toHaveCount(0);
  await expectWholeRun(ben);
  await log(ben).evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await expect(ben.getByRole("button", { name: /^Jump to latest/ })).toBeHidden();
  await annBox.fill("And live again");
  await annBox.press("Enter");
  await expect(confirmed(ben, "And live again")).toBeInViewport();
  await expect(log(ben).getByTestId("message").last()).toContainText("And live again");

  // Scrolled up in the live conversation, what arrives below is counted on the button too.
  await log(ben).hover();
  await ben.mouse.wheel(0, -1500);
  await expect(jumpToLatest).toBeVisible();
  await expect(ben.getByTestId("newer-count")).toHaveCount(0);
  await annBox.fill("While you scrolled up");
  await annBox.press("Enter");
  await expect(ben.getByTestId("newer-count")).toHaveText("1 new");
  await jumpToLatest.click();
  await expect(confirmed(ben, "While you scrolled up")).toBeInViewport();
  await expect(ben.getByTestId("newer-count")).toHaveCount(0);

  // Another message of the same chat, from the search again.
  await searchFor(ben, secondWord);
  await ben.keyboard.press("Enter");
  await expect(ben).toHaveURL(new RegExp(`/chat/${chatId}\\?message=${second!.seq}$`));
  await expectJumpedTo(ben, second!, secondWord);

  // The link works on a full page load too.
  await ben.reload();
  await expectJumpedTo(ben, second!, secondWord);

  // "Copy link" on a message gives that link, which opens the chat at it in another tab.
  await ben.context().grantPermissions(["clipboard-read", "clipboard-write"], {
    origin: new URL(ben.url()).origin,
  });
  await messageAt(ben, second!.seq).hover();
  await messageAt(ben, second!.seq)
    .getByRole("button", { name: /^Message actions/ })
    .click();
  await ben.getByRole("menuitem", { name: "Copy link" }).click();
  await expect(ben.getByText("Link to the message copied")).toBeVisible();
  const copied = await ben.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(`${new URL(ben.url()).origin}/chat/${chatId}?message=${second!.seq}`);
  const tab = await ben.context().newPage();
  await tab.goto(copied);
  await expectJumpedTo(tab, second!, secondWord);
  await tab.close();

  // Scrolling up from there loads the page before it and keeps the reading position.
  const topSeq = second!.seq - 25;
  await expect(messageAt(ben, topSeq)).toHaveCount(1);
  await expect(messageAt(ben, topSeq - 1)).toHaveCount(0);
  await log(ben).evaluate((element) => element.scrollTo(0, 0));
  await expect(messageAt(ben, first!.seq)).toHaveCount(1);
  await expect(messageAt(ben, topSeq)).toBeInViewport();

  // Sending from older history goes back to the latest messages.
  const benBox = composer(ben);
  await benBox.fill("Caught up now");
  await benBox.press("Enter");
  const caughtUp = messageWithText(ben, "Caught up now");
  await expect(confirmed(ben, "Caught up now")).toHaveCount(1);
  await expect(caughtUp).toHaveCount(1);
  await expect(caughtUp).toBeInViewport();
  await expect(messageAt(ben, second!.seq)).toHaveCount(0);
  await expect(messageWithText(ben, "Fresh news while you read")).toHaveCount(1);
  await expect(ben.getByRole("button", { name: /^Jump to latest/ })).toHaveCount(0);
  await expectWholeRun(ben);
  await expect(messageWithText(ann, "Caught up now")).toHaveCount(1);

  await closeAll(ann, ben);
});

test("search says when nothing matches", async ({ browser }) => {
  const ben = await newUser(browser, `Bea ${randomTag()}`);
  await ben.goto("/chat");
  await ben.getByRole("button", { name: "Search messages" }).click();
  const dialog = searchDialog(ben);
  await dialog.getByRole("combobox", { name: "Search messages" }).fill("nothing-like-this");
  await expect(dialog.getByRole("status")).toHaveText("No messages match “nothing-like-this”.");
  await expect(dialog.getByRole("option")).toHaveCount(0);
  await ben.keyboard.press("Escape");
  await expect(ben.getByRole("button", { name: "Search messages" })).toBeFocused();
  await closeAll(ben);
});
