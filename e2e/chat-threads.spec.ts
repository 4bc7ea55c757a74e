import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import {
  attachPng,
  chatLink,
  closeAll,
  messageWithText,
  newUserOverHttp,
  openMessageActions,
  randomTag,
  sendMessage,
  startDirectChat,
  shareWorkspace,
} from "./chat-helpers";

const threadLog = (page: Page) => page.getByRole("log", { name: "Replies in the thread" });
const replyBox = (page: Page) => page.getByRole("textbox", { name: "Reply in thread" });

test("a thread from any message: replies beside the conversation, counted under it, unread for followers, live both ways, and opened by a link to a reply; a message forwarded", async ({
  browser,
}) => {
  const tag = randomTag();
  const annName = `Ann ${tag}`;
  const benName = `Ben ${tag}`;
  const ann = await newUserOverHttp(browser, annName);
  const ben = await newUserOverHttp(browser, benName, { width: 390, height: 844 });
  await shareWorkspace(ann, ben);
  const chatId = await startDirectChat(ann, benName);
  await sendMessage(ann, "Where should we hold the offsite?");
  await ben.goto(`/chat/${chatId}`);

  // Ben, on a phone, replies in a thread: the thread opens as a sheet, with its own box.
  await openMessageActions(ben, "offsite");
  await ben.getByRole("menuitem", { name: "Reply in thread" }).click();
  const benThread = ben.getByTestId("thread-panel");
  await expect(benThread.getByTestId("thread-root")).toContainText("offsite");
  await expect(replyBox(ben)).toBeFocused();
  await replyBox(ben).fill("The old mill");
  await replyBox(ben).press("Enter");
  await expect(
    threadLog(ben).getByTestId("message").filter({ hasText: "The old mill" }),
  ).toBeVisible();
  await expect(benThread.getByRole("button", { name: "Following" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await benThread.getByRole("button", { name: "Close thread" }).click();
  // The reply stays out of the conversation itself, which says how many there are.
  await expect(messageWithText(ben, "The old mill")).toHaveCount(0);
  await expect(messageWithText(ben, "offsite").getByTestId("thread-summary")).toContainText(
    "1 reply",
  );

  // Ann started it, so she follows it: the reply is unread for her, under the message and in
  // the chat list, live.
  const summary = messageWithText(ann, "offsite").getByTestId("thread-summary");
  await expect(summary).toHaveAccessibleName(/^1 reply, last reply at .*, unread/);
  await expect(chatLink(ann, benName).getByTestId("chat-unread-threads")).toHaveText(/1/);
  await expect(chatLink(ann, benName).getByTestId("chat-unread")).toHaveCount(0);

  // Opening it (a column on a wide screen) reads it.
  await summary.click();
  const annThread = ann.getByTestId("thread-panel");
  await expect(threadLog(ann).getByText("The old mill")).toBeVisible();
  await expect(summary).not.toHaveAccessibleName(/unread/);
  await expect(chatLink(ann, benName).getByTestId("chat-unread-threads")).toHaveCount(0);

  // Ann's reply, with a picture, reaches Ben's summary live; the picture opens in the
  // thread's own lightbox.
  await attachPng(ann, "mill.png", { width: 64, height: 48, background: "#aa7733" }, annThread);
  await replyBox(ann).fill("Booked it");
  await replyBox(ann).press("Enter");
  await threadLog(ann).getByRole("button", { name: "mill.png" }).click();
  const lightbox = ann.getByRole("dialog", { name: "mill.png" });
  await expect(lightbox).toContainText("Image 1 of 1");
  await ann.keyboard.press("Escape");
  await expect(lightbox).toBeHidden();
  await expect(messageWithText(ben, "offsite").getByTestId("thread-summary")).toContainText(
    "2 replies",
  );
  await expect(messageWithText(ben, "offsite").getByTestId("thread-summary")).toHaveAccessibleName(
    /unread/,
  );

  // Stop following: nothing more counts for Ann.
  await annThread.getByRole("button", { name: "Following" }).click();
  await expect(annThread.getByRole("button", { name: "Follow" })).toHaveAttribute(
    "aria-pressed",
    "false",
  );
  const replySeq = await threadLog(ann)
    .getByTestId("message")
    .filter({ hasText: "The old mill" })
    .getAttribute("data-seq");
  await annThread.getByRole("button", { name: "Close thread" }).click();
  await expect(annThread).toHaveCount(0);

  // The info panel lists the chat's threads; one opens from there.
  await ann.getByRole("button", { name: "Conversation info" }).click();
  const threads = ann.getByTestId("chat-threads");
  await threads.getByRole("button", { name: /offsite.*2 replies/ }).click();
  await expect(threadLog(ann).getByText("Booked it")).toBeVisible();

  // Forwarding: a copy in the chat chosen (here the same one), marked as forwarded for both.
  await openMessageActions(ann, "offsite");
  await ann.getByRole("menuitem", { name: "Forward…" }).click();
  const forward = ann.getByRole("dialog", { name: "Forward message" });
  await forward.getByRole("textbox", { name: "Find a chat" }).fill(benName);
  await forward.getByRole("button", { name: `Forward to ${benName}` }).click();
  await expect(forward).toBeHidden();
  await expect(
    messageWithText(ben, "offsite").filter({ has: ben.getByTestId("forwarded-mark") }),
  ).toBeVisible();

  // A link to a reply opens its thread beside the conversation, with the reply marked.
  await ben.goto(`/chat/${chatId}?message=${replySeq}`);
  await expect(threadLog(ben).locator("[data-highlighted='true']")).toContainText("The old mill");
  // Behind the sheet, the conversation shows the thread's root; closing it goes back there.
  await benThread.getByRole("button", { name: "Close thread" }).click();
  await expect(messageWithText(ben, "offsite").first()).toBeInViewport();
  await expect(ben.getByRole("button", { name: "Close thread" })).toHaveCount(0);

  await closeAll(ann, ben);
});
