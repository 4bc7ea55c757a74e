import { expect, test } from "./fixtures";
import {
  annAndBen,
  attachPng,
  chatLink,
  closeAll,
  composer,
  keepScreenshot,
  log,
  messageWithText,
  openMessageActions,
  sendMessage,
  startDirectChat,
} from "./chat-helpers";
import {
  DEMO_PASSWORD,
  expectAccessibleInBothThemes,
  signInThroughUi,
  signOutThroughUi,
} from "./helpers";

test("two people chat live: new chat, typing, send, read, react, edit, delete, attach", async ({
  browser,
}, testInfo) => {
  const { annName, benName, ann, ben } = await annAndBen(browser);
  await ben.goto("/chat");
  await expect(ben.getByText("Pick a conversation")).toBeVisible();

  // Ann starts a direct chat with Ben; it appears in Ben's list without a reload.
  await startDirectChat(ann, benName);

  const withAnn = chatLink(ben, annName);
  await expect(withAnn).toBeVisible();
  await keepScreenshot(ben, testInfo, "chat-list-new-chat.png");
  await withAnn.click();
  await expect(ben.getByRole("heading", { level: 1, name: annName })).toBeVisible();
  // Opening a chat puts the caret in its message box.
  await expect(composer(ben)).toBeFocused();

  // Typing shows on the other side.
  await composer(ann).pressSequentially("Hel");
  await expect(ben.getByTestId("typing-indicator")).toHaveText(`${annName} is typing…`);
  await keepScreenshot(ben, testInfo, "chat-typing.png");

  // Send: Ben sees it, then Ann's message turns read once Ben has it on screen.
  await sendMessage(ann, "Hello Ben!");
  await expect(messageWithText(ben, "Hello Ben!")).toBeVisible({ timeout: 2_000 });
  // Today's messages sit under "Today"; a message's time gives its full date on hover.
  await expect(
    log(ben)
      .getByRole("separator")
      .filter({ hasText: /^Today$/ }),
  ).toHaveCount(1);
  await expect(messageWithText(ben, "Hello Ben!").locator("time")).toHaveAttribute(
    "title",
    /\d{4}, \d{2}:\d{2}$/,
  );
  await expect(ben.getByTestId("typing-indicator")).toHaveText("");
  await ben.bringToFront();
  await expect(messageWithText(ann, "Hello Ben!").getByTestId("message-status")).toHaveAttribute(
    "data-status",
    "read",
  );
  await keepScreenshot(ann, testInfo, "chat-read.png");

  // Enter sends too; Shift+Enter makes a new line.
  const benBox = composer(ben);
  await benBox.fill("Hi Ann");
  await benBox.press("Shift+Enter");
  await benBox.pressSequentially("second line");
  await benBox.press("Enter");
  await expect(messageWithText(ann, "second line")).toContainText("Hi Ann");

  // Up in the empty box edits one's last message; Escape leaves it as it was.
  await benBox.press("ArrowUp");
  await expect(benBox).toHaveValue("Hi Ann\nsecond line");
  await expect(ben.getByRole("button", { name: "Cancel editing" })).toBeVisible();
  await benBox.press("Escape");
  await expect(benBox).toHaveValue("");

  // The conversation is one Tab stop: the arrows move between messages, Enter opens the
  // focused message's actions, and Tab goes on to the message box, stopping at no message's
  // actions on the way.
  const benLog = ben.getByRole("log", { name: "Messages" });
  await benLog.focus();
  await ben.keyboard.press("ArrowUp");
  await expect(messageWithText(ben, "second line")).toBeFocused();
  await ben.keyboard.press("ArrowUp");
  await expect(messageWithText(ben, "Hello Ben!")).toBeFocused();
  await ben.keyboard.press("Enter");
  await expect(ben.getByRole("menuitem", { name: "Reply", exact: true })).toBeVisible();
  await ben.keyboard.press("Escape");
  await expect(ben.getByRole("menuitem", { name: "Reply", exact: true })).toBeHidden();
  await benLog.focus();
  const stops: string[] = [];
  for (let i = 0; i < 8 && !(await benBox.evaluate((box) => box === document.activeElement)); i++) {
    await ben.keyboard.press("Tab");
    stops.push(await ben.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? ""));
  }
  await expect(benBox).toBeFocused();
  expect(stops.filter((name) => name.startsWith("Message actions"))).toEqual([]);

  // Ben reacts to Ann's message; Ann sees the chip.
  await openMessageActions(ben, "Hello Ben!");
  await ben.getByRole("menuitem", { name: "React with 👍" }).click();
  const chip = messageWithText(ann, "Hello Ben!").getByRole("button", { name: /^👍 1/ });
  await expect(chip).toBeVisible();
  await chip.hover();
  await expect(ann.getByRole("tooltip")).toContainText(benName);

  // Ann edits; Ben sees "edited" and the history.
  await openMessageActions(ann, "Hello Ben!");
  await ann.getByRole("menuitem", { name: "Edit" }).click();
  const annBox = composer(ann);
  await expect(annBox).toHaveValue("Hello Ben!");
  await annBox.fill("Hello Ben, edited!");
  await annBox.press("Enter");
  const edited = messageWithText(ben, "Hello Ben, edited!");
  await expect(edited).toBeVisible();
  await edited.getByRole("button", { name: "edited" }).click();
  await expect(ben.getByTestId("edit-history")).toContainText("Hello Ben!");
  await keepScreenshot(ben, testInfo, "chat-edit-history.png");
  await ben.keyboard.press("Escape");

  // Ann deletes it; both see the placeholder.
  await openMessageActions(ann, "Hello Ben, edited!");
  await ann.getByRole("menuitem", { name: "Delete" }).click();
  await ann.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(log(ann).getByText("Message deleted")).toBeVisible();
  await expect(log(ben).getByText("Message deleted")).toBeVisible();
  await expect(log(ben).getByText("Hello Ben, edited!")).toHaveCount(0);
  await keepScreenshot(ben, testInfo, "chat-deleted.png");

  // Ann attaches two images: both see the thumbnails; a thumbnail opens the lightbox, which
  // steps through the conversation's images and links to the original.
  await attachPng(ann, "blue.png", { width: 64, height: 48, background: "#3366ff" });
  // Before it is sent, the picture itself shows in the composer, read from the disk.
  await expect(ann.getByTestId("upload-thumbnail")).toHaveAttribute("src", /^blob:/);
  await expect
    .poll(() =>
      ann.getByTestId("upload-thumbnail").evaluate((img: HTMLImageElement) => img.naturalWidth),
    )
    .toBe(64);
  await ann.getByRole("button", { name: "Send" }).click();
  await attachPng(ann, "green.png", { width: 48, height: 64, background: "#33aa55" });
  await ann.getByRole("button", { name: "Send" }).click();
  const thumbnail = log(ben).getByRole("img", { name: "blue.png" });
  await expect(thumbnail).toBeVisible();
  await expect(log(ben).getByRole("img", { name: "green.png" })).toBeVisible();
  await expect(log(ann).getByRole("img", { name: "blue.png" })).toBeVisible();
  await log(ben).getByRole("button", { name: "blue.png" }).click();
  const lightbox = ben.getByRole("dialog", { name: "blue.png" });
  await expect(lightbox).toContainText("Image 1 of 2 in this conversation");
  await expect(lightbox.getByRole("button", { name: "Previous" })).toBeDisabled();
  await ben.keyboard.press("ArrowRight");
  const second = ben.getByRole("dialog", { name: "green.png" });
  await expect(second).toContainText("Image 2 of 2 in this conversation");
  await expect(second.getByRole("img", { name: "green.png" })).toBeVisible();
  await expect(second.getByRole("button", { name: "Next" })).toBeDisabled();
  await second.getByRole("button", { name: "Previous" }).click();
  await expect(lightbox).toBeVisible();
  const href = await lightbox.getByRole("link", { name: "Open original" }).getAttribute("href");
  const file = await ben.request.get(href!);
  expect(file.status()).toBe(200);
  expect(file.headers()["content-type"]).toBe("image/png");
  await ben.keyboard.press("Escape");
  await expect(lightbox).toBeHidden();
  await expect(log(ben).getByRole("button", { name: "blue.png" })).toBeFocused();

  await keepScreenshot(ann, testInfo, "chat-sender.png");
  await keepScreenshot(ben, testInfo, "chat-receiver.png");

  // A long unbroken link wraps inside its bubble, on a desktop and on a phone.
  const longUrl = `https://example.com/${"a1b2c3d4e5".repeat(30)}`;
  await sendMessage(ann, longUrl);
  for (const [page, width] of [
    [ann, 1280],
    [ben, 390],
  ] as const) {
    await page.setViewportSize({ width, height: 800 });
    const bubble = messageWithText(page, longUrl.slice(0, 40)).getByTestId("message-bubble");
    await expect(bubble).toBeVisible();
    const fits = await bubble.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const list = el.closest('[role="log"]')!.getBoundingClientRect();
      return box.left >= list.left && box.right <= list.right && el.scrollWidth <= el.clientWidth;
    });
    expect(fits, `the bubble fits at ${width} px`).toBe(true);
  }
  await closeAll(ann, ben);
});

test("the chat pages are accessible in both themes, list and conversation", async ({ page }) => {
  await signInThroughUi(page, "alice@example.com", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/chat");
  await expect(page.getByTestId("chat-list")).toBeVisible();
  // One level-one heading on each page: "Chats", then the open chat's name.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chats");
  await expectAccessibleInBothThemes(page);
  await page.getByTestId("chat-list").getByRole("link").first().click();
  await expect(log(page)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
  await expect(log(page).getByTestId("message").first()).toBeVisible();
  await expectAccessibleInBothThemes(page);
  // The actions also open from a right click (a long press on touch screens).
  await log(page).getByTestId("message").last().click({ button: "right" });
  await expect(page.getByRole("menuitem", { name: "Reply", exact: true })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menuitem", { name: "Reply", exact: true })).toHaveCount(0);
});

test("on a phone the list and the conversation take turns", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signInThroughUi(page, "bob@example.com", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/chat");
  await page.getByTestId("chat-list").getByRole("link").first().click();
  await expect(log(page)).toBeVisible();
  await expect(page.getByTestId("chat-list")).toBeHidden();
  // Edge to edge under the header, and no taller than the screen: the message box keeps
  // the width a card's margins would take.
  expect((await log(page).boundingBox())?.width).toBe(360);
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(740);
  await page.getByRole("link", { name: "Back to chats" }).click();
  await expect(page.getByTestId("chat-list")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(overflow).toBeLessThanOrEqual(360);
});

test("a draft stays with its chat across a reload, shows in the list, and goes at sign-out", async ({
  page,
}) => {
  const signIn = await page.request.post("/api/auth/sign-in/email", {
    data: { email: "carol@example.com", password: DEMO_PASSWORD },
  });
  expect(signIn.ok()).toBe(true);
  await page.goto("/chat");
  const list = page.getByTestId("chat-list");
  const firstLink = list.getByRole("link").first();
  // The chat's title as the link names it, read before the list can reorder.
  const firstTitle = await firstLink.locator(".sr-only").first().innerText();
  await firstLink.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(firstTitle);
  await composer(page).fill("Half a thought");
  await list.getByRole("link").filter({ hasNotText: firstTitle }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(firstTitle);
  const draft = chatLink(page, firstTitle).getByTestId("chat-draft");
  await expect(draft).toHaveText("Draft: Half a thought");

  await page.reload();
  await expect(draft).toHaveText("Draft: Half a thought");
  await chatLink(page, firstTitle).click();
  await expect(composer(page)).toHaveValue("Half a thought");
  // The open chat's box shows it; the list does not repeat it.
  await expect(draft).toHaveCount(0);

  await signOutThroughUi(page);
  // The browser still holds cookies of the app's own, so Better Auth asks for the Origin.
  const again = await page.request.post("/api/auth/sign-in/email", {
    headers: { origin: new URL(page.url()).origin },
    data: { email: "carol@example.com", password: DEMO_PASSWORD },
  });
  expect(again.ok()).toBe(true);
  await page.goto("/chat");
  await expect(chatLink(page, firstTitle)).toBeVisible();
  await expect(page.getByTestId("chat-draft")).toHaveCount(0);
  await chatLink(page, firstTitle).click();
  await expect(composer(page)).toHaveValue("");
});
