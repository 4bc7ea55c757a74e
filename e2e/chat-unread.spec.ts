import { expect, test, type Browser, type Page } from "./fixtures";
import {
  chatLink,
  closeAll,
  holdRealtimeToken,
  log,
  messageWithText,
  newUserOverHttp,
  randomTag,
  shareWorkspace,
  startDirectChat,
  sendAndWait,
  waitUntilLive,
} from "./chat-helpers";

/**
 * The window is on screen but another window has the focus (a second monitor, another
 * application, the browser's own UI, DevTools): `document.hasFocus()` is false, the page is
 * visible. Playwright otherwise tells every page it has the focus.
 */
async function loseFocus(page: Page): Promise<void> {
  await page.evaluate(() => {
    sessionStorage.setItem("e2e-unfocused", "1");
    document.hasFocus = () => false;
    window.dispatchEvent(new Event("blur"));
  });
}

/** The focus comes back to the window: only the browser's own `focus` event tells of it. */
async function gainFocus(page: Page): Promise<void> {
  await page.evaluate(() => {
    sessionStorage.removeItem("e2e-unfocused");
    document.hasFocus = () => true;
    window.dispatchEvent(new Event("focus"));
  });
}

/** Pages this page loads start without the focus while `loseFocus` holds. */
async function keepFocusStateAcrossLoads(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (sessionStorage.getItem("e2e-unfocused")) document.hasFocus = () => false;
  });
}

/** Every `chats.markRead` the page sends, with the seq it marks. */
function recordMarks(page: Page): number[] {
  const marks: number[] = [];
  page.on("request", (request) => {
    if (!request.url().includes("chats.markRead")) return;
    const body = request.postDataJSON() as Record<string, { json: { seq: number } }>;
    for (const call of Object.values(body)) marks.push(call.json.seq);
  });
  return marks;
}

/** The three places an unread count shows: the chat's badge, the navigation and the title. */
async function expectUnread(page: Page, chatTitle: string, count: number): Promise<void> {
  const badge = chatLink(page, chatTitle).getByTestId("chat-unread");
  const total = page.getByTestId("unread-total");
  if (count === 0) {
    await expect(badge).toHaveCount(0);
    await expect(total).toHaveAttribute("data-count", "0");
    await expect(page).toHaveTitle(/^[^(]/);
  } else {
    await expect(badge).toHaveAttribute("data-count", String(count));
    await expect(total).toHaveAttribute("data-count", String(count));
    await expect(page).toHaveTitle(new RegExp(`^\\(${count}\\) `));
  }
}

async function annAndBenChatting(browser: Browser) {
  const tag = randomTag();
  const annName = `Ann ${tag}`;
  const benName = `Ben ${tag}`;
  const ann = await newUserOverHttp(browser, annName);
  const ben = await newUserOverHttp(browser, benName);
  await keepFocusStateAcrossLoads(ben);
  await shareWorkspace(ann, ben);
  const chatId = await startDirectChat(ann, benName);
  return { annName, benName, ann, ben, chatId };
}

test("opening a chat with its newest message on screen reads it: badge, navigation and title clear without a scroll", async ({
  browser,
}) => {
  const { annName, ann, ben } = await annAndBenChatting(browser);
  await ben.goto("/chat");
  await waitUntilLive(ben);
  const marks = recordMarks(ben);

  for (const text of ["one", "two", "three", "four"]) await sendAndWait(ann, text);
  await expectUnread(ben, annName, 4);

  await chatLink(ben, annName).click();
  await expect(messageWithText(ben, "four")).toBeInViewport();
  await expect(ben.getByTestId("unread-divider")).toHaveText("4 new messages");
  await expectUnread(ben, annName, 0);
  expect(marks.length).toBeGreaterThan(0);

  // A message arriving while the chat is open and seen is read at once too.
  await sendAndWait(ann, "five");
  await expect(messageWithText(ben, "five")).toBeInViewport();
  await expect.poll(() => marks.length).toBeGreaterThan(1);
  await expectUnread(ben, annName, 0);

  // Back in the list, then in again: the chat stays read, and reading it again is quiet.
  // A message sent after the list was rendered but before the page joined its channels
  // reaches no event handler: the list, the navigation and the title catch up on the join.
  const release = await holdRealtimeToken(ben);
  await ben.goto("/chat");
  await expectUnread(ben, annName, 0);
  await sendAndWait(ann, "six");
  await release();
  await waitUntilLive(ben);
  await expectUnread(ben, annName, 1);
  await chatLink(ben, annName).click();
  await expect(messageWithText(ben, "six")).toBeInViewport();
  await expectUnread(ben, annName, 0);
  await closeAll(ann, ben);
});

test("a chat open in a window without the focus is read once the window gets it back", async ({
  browser,
}) => {
  const { annName, ann, ben, chatId } = await annAndBenChatting(browser);
  await sendAndWait(ann, "before");

  // Opened in a window on screen that does not have the focus: nothing is read yet.
  await ben.goto("/chat");
  await waitUntilLive(ben);
  await expectUnread(ben, annName, 1);
  const marks = recordMarks(ben);
  await loseFocus(ben);
  await ben.goto(`/chat/${chatId}`);
  await expect(messageWithText(ben, "before")).toBeInViewport();
  await waitUntilLive(ben);
  await sendAndWait(ann, "while away");
  await expect(messageWithText(ben, "while away")).toBeInViewport();
  await expectUnread(ben, annName, 2);
  expect(marks).toEqual([]);

  // The window gets the focus back, with no input: the chat is read.
  await gainFocus(ben);
  await expectUnread(ben, annName, 0);
  expect(marks.length).toBeGreaterThan(0);

  // Away again: a message that arrives is held unread until the focus returns.
  await loseFocus(ben);
  const before = marks.length;
  await sendAndWait(ann, "later");
  await expect(messageWithText(ben, "later")).toBeInViewport();
  await expectUnread(ben, annName, 1);
  expect(marks.length).toBe(before);
  await gainFocus(ben);
  await expectUnread(ben, annName, 0);
  await expect(log(ben)).toBeVisible();
  await closeAll(ann, ben);
});
