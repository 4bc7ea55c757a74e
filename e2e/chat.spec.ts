import { expect, test, type Browser, type Page } from "@playwright/test";
import sharp from "sharp";
import {
  DEMO_PASSWORD,
  expectAccessibleInBothThemes,
  signInThroughUi,
  signUpThroughUi,
  uniqueEmail,
} from "./helpers";

async function newUser(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpThroughUi(page, name, uniqueEmail(name.split(" ")[0]!.toLowerCase()));
  return page;
}

function log(page: Page) {
  return page.getByRole("log", { name: "Messages" });
}

function messageWithText(page: Page, text: string) {
  return log(page).getByTestId("message").filter({ hasText: text });
}

test("two people chat live: new chat, typing, send, read, react, edit, delete, attach", async ({
  browser,
}, testInfo) => {
  const tag = Math.floor(Math.random() * 1e6);
  const annName = `Ann ${tag}`;
  const benName = `Ben ${tag}`;
  const ann = await newUser(browser, annName);
  const ben = await newUser(browser, benName);
  await ben.goto("/chat");
  await expect(ben.getByText("Pick a conversation")).toBeVisible();

  // Ann starts a direct chat with Ben; it appears in Ben's list without a reload.
  await ann.goto("/chat");
  await ann.getByRole("button", { name: "New chat" }).first().click();
  await ann.getByLabel("Who do you want to talk to?").fill(benName);
  await ann.getByRole("button", { name: benName }).click();
  await expect(ann).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  await expect(ann.getByRole("heading", { level: 1, name: benName })).toBeVisible();

  const chatLink = ben.getByRole("link", { name: new RegExp(`^${annName}`) });
  await expect(chatLink).toBeVisible();
  await ben.screenshot({ path: testInfo.outputPath("chat-list-new-chat.png") });
  await chatLink.click();
  await expect(ben.getByRole("heading", { level: 1, name: annName })).toBeVisible();

  // Typing shows on the other side.
  await ann.getByRole("textbox", { name: "Message" }).pressSequentially("Hel");
  await expect(ben.getByTestId("typing-indicator")).toHaveText(`${annName} is typing…`);
  await ben.screenshot({ path: testInfo.outputPath("chat-typing.png") });

  // Send: Ben sees it, then Ann's message turns read once Ben has it on screen.
  await ann.getByRole("textbox", { name: "Message" }).fill("Hello Ben!");
  await ann.getByRole("button", { name: "Send" }).click();
  await expect(messageWithText(ben, "Hello Ben!")).toBeVisible({ timeout: 2_000 });
  await expect(ben.getByTestId("typing-indicator")).toHaveText("");
  await ben.bringToFront();
  await expect(messageWithText(ann, "Hello Ben!").getByTestId("message-status")).toHaveAttribute(
    "data-status",
    "read",
  );
  await ann.screenshot({ path: testInfo.outputPath("chat-read.png") });

  // Enter sends too; Shift+Enter makes a new line.
  const benBox = ben.getByRole("textbox", { name: "Message" });
  await benBox.fill("Hi Ann");
  await benBox.press("Shift+Enter");
  await benBox.pressSequentially("second line");
  await benBox.press("Enter");
  await expect(messageWithText(ann, "second line")).toContainText("Hi Ann");

  // Ben reacts to Ann's message; Ann sees the chip.
  const annOnBen = messageWithText(ben, "Hello Ben!");
  await annOnBen.hover();
  await annOnBen.getByRole("button", { name: "Message actions" }).click();
  await ben.getByRole("menuitem", { name: "React with 👍" }).click();
  const chip = messageWithText(ann, "Hello Ben!").getByRole("button", { name: /^👍 1/ });
  await expect(chip).toBeVisible();
  await chip.hover();
  await expect(ann.getByRole("tooltip")).toContainText(benName);

  // Ann edits; Ben sees "edited" and the history.
  const mine = messageWithText(ann, "Hello Ben!");
  await mine.hover();
  await mine.getByRole("button", { name: "Message actions" }).click();
  await ann.getByRole("menuitem", { name: "Edit" }).click();
  const annBox = ann.getByRole("textbox", { name: "Message" });
  await expect(annBox).toHaveValue("Hello Ben!");
  await annBox.fill("Hello Ben, edited!");
  await annBox.press("Enter");
  const edited = messageWithText(ben, "Hello Ben, edited!");
  await expect(edited).toBeVisible();
  await edited.getByRole("button", { name: "edited" }).click();
  await expect(ben.getByTestId("edit-history")).toContainText("Hello Ben!");
  await ben.screenshot({ path: testInfo.outputPath("chat-edit-history.png") });
  await ben.keyboard.press("Escape");

  // Ann deletes it; both see the placeholder.
  const toDelete = messageWithText(ann, "Hello Ben, edited!");
  await toDelete.hover();
  await toDelete.getByRole("button", { name: "Message actions" }).click();
  await ann.getByRole("menuitem", { name: "Delete" }).click();
  await ann.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(log(ann).getByText("Message deleted")).toBeVisible();
  await expect(log(ben).getByText("Message deleted")).toBeVisible();
  await expect(log(ben).getByText("Hello Ben, edited!")).toHaveCount(0);
  await ben.screenshot({ path: testInfo.outputPath("chat-deleted.png") });

  // Ann attaches an image: both see the thumbnail, and the file opens.
  const png = await sharp({
    create: { width: 64, height: 48, channels: 3, background: "#3366ff" },
  })
    .png()
    .toBuffer();
  await ann.locator("input[type=file]").setInputFiles({
    name: "blue.png",
    mimeType: "image/png",
    buffer: png,
  });
  await expect(ann.getByTestId("upload")).toHaveAttribute("data-state", "done");
  await ann.getByRole("button", { name: "Send" }).click();
  const thumbnail = log(ben).getByRole("img", { name: "blue.png" });
  await expect(thumbnail).toBeVisible();
  await expect(log(ann).getByRole("img", { name: "blue.png" })).toBeVisible();
  const href = await log(ben).getByRole("link", { name: "blue.png" }).getAttribute("href");
  const file = await ben.request.get(href!);
  expect(file.status()).toBe(200);
  expect(file.headers()["content-type"]).toBe("image/png");

  await ann.screenshot({ path: testInfo.outputPath("chat-sender.png") });
  await ben.screenshot({ path: testInfo.outputPath("chat-receiver.png") });
  await ann.context().close();
  await ben.context().close();
});

test("the chat pages are accessible in both themes, list and conversation", async ({ page }) => {
  await signInThroughUi(page, "alice@example.com", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/chat");
  await expect(page.getByTestId("chat-list")).toBeVisible();
  await expectAccessibleInBothThemes(page);
  await page.getByTestId("chat-list").getByRole("link").first().click();
  await expect(log(page)).toBeVisible();
  await expect(log(page).getByTestId("message").first()).toBeVisible();
  await expectAccessibleInBothThemes(page);
  // The actions also open from a right click (a long press on touch screens).
  await log(page).getByTestId("message").last().click({ button: "right" });
  await expect(page.getByRole("menuitem", { name: "Reply" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menuitem", { name: "Reply" })).toHaveCount(0);
});

test("on a phone the list and the conversation take turns", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signInThroughUi(page, "bob@example.com", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/chat");
  await page.getByTestId("chat-list").getByRole("link").first().click();
  await expect(log(page)).toBeVisible();
  await expect(page.getByTestId("chat-list")).toBeHidden();
  await page.getByRole("link", { name: "Back to chats" }).click();
  await expect(page.getByTestId("chat-list")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(overflow).toBeLessThanOrEqual(360);
});
