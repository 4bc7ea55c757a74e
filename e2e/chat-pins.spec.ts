import { expect, test } from "./fixtures";
import {
  chatLink,
  closeAll,
  composer,
  log,
  messageWithText,
  newUserOverHttp,
  openMessageActions,
  randomTag,
  sendMessage,
  startDirectChat,
  shareWorkspace,
} from "./chat-helpers";

test("messages read as Markdown; a pin shows for both live and in the info panel; saved messages are one's own; a chat marked unread counts again", async ({
  browser,
}) => {
  const tag = randomTag();
  const annName = `Ann ${tag}`;
  const benName = `Ben ${tag}`;
  const ann = await newUserOverHttp(browser, annName);
  const ben = await newUserOverHttp(browser, benName, { width: 390, height: 844 });
  await shareWorkspace(ann, ben);
  const chatId = await startDirectChat(ann, benName);
  await ben.goto(`/chat/${chatId}`);
  await expect(composer(ben)).toBeVisible();

  // Markdown: emphasis, inline code, a link that opens elsewhere, a highlighted code block;
  // typed HTML stays text.
  const box = composer(ann);
  await box.fill("**Ship** it on `Friday`, see [the plan](https://example.com/plan) <b>now</b>");
  await box.press("Shift+Enter");
  await box.pressSequentially("```js");
  await box.press("Shift+Enter");
  await box.pressSequentially("const answer = 42;");
  await box.press("Shift+Enter");
  await box.pressSequentially("```");
  await box.press("Enter");
  const rich = messageWithText(ben, "Ship it on");
  await expect(rich.locator("strong")).toHaveText("Ship");
  await expect(rich.locator("code").first()).toHaveText("Friday");
  await expect(rich.getByRole("link", { name: "the plan" })).toHaveAttribute("target", "_blank");
  await expect(rich).toContainText("<b>now</b>");
  await expect(rich.locator(".hljs-keyword")).toHaveText("const");
  await expect(rich.getByRole("button", { name: "Copy code" })).toBeAttached();

  // Ben (on a phone) pins Ann's message: both see the pin mark, Ann sees the event line live.
  await sendMessage(ann, "Standup moves to 10:00");
  await expect(messageWithText(ben, "Standup moves")).toBeVisible();
  await openMessageActions(ben, "Standup moves");
  await ben.getByRole("menuitem", { name: "Pin to chat" }).click();
  await expect(
    messageWithText(ben, "Standup moves").getByRole("img", { name: "Pinned by you" }),
  ).toBeVisible();
  await expect(log(ann).getByText(`${benName} pinned a message`)).toBeVisible();
  await expect(
    messageWithText(ann, "Standup moves").getByRole("img", { name: `Pinned by ${benName}` }),
  ).toBeVisible();

  // The info panel lists it; choosing it shows the message in the conversation.
  await ann.getByRole("button", { name: "Conversation info" }).click();
  const pinned = ann.getByTestId("pinned-messages");
  await expect(pinned.getByRole("heading", { name: "Pinned messages (1)" })).toBeVisible();
  await pinned.getByRole("button", { name: /Standup moves to 10:00/ }).click();
  await expect(messageWithText(ann, "Standup moves")).toBeInViewport();
  // In a direct chat either person may unpin; the panel follows live on the other side.
  await pinned.getByRole("button", { name: `Unpin the message from ${annName}` }).click();
  await expect(pinned.getByText("Nothing pinned yet.", { exact: false })).toBeVisible();
  await expect(
    messageWithText(ben, "Standup moves").getByRole("img", { name: /^Pinned by/ }),
  ).toHaveCount(0);

  // Saved for later: marked for Ben only, listed in his saved messages, opened from there.
  await openMessageActions(ben, "Ship it on");
  await ben.getByRole("menuitem", { name: "Save for later" }).click();
  await expect(
    messageWithText(ben, "Ship it on").getByRole("img", { name: "Saved" }),
  ).toBeVisible();
  await expect(messageWithText(ann, "Ship it on").getByRole("img", { name: "Saved" })).toHaveCount(
    0,
  );
  await ben.goto("/chat");
  await ben.getByRole("button", { name: "Saved messages" }).click();
  const saved = ben.getByRole("dialog", { name: "Saved messages" });
  const item = saved.getByRole("button", { name: new RegExp(`${annName} in ${annName}`) });
  await expect(item).toContainText("Ship it on Friday, see the plan");
  await item.click();
  await expect(ben).toHaveURL(new RegExp(`/chat/${chatId}\\?message=\\d+$`));
  await expect(messageWithText(ben, "Ship it on")).toBeInViewport();

  // On a phone the list, with the button, takes turns with the conversation.
  await ben.getByRole("link", { name: "Back to chats" }).click();
  await ben.getByRole("button", { name: "Saved messages" }).click();
  await saved
    .getByRole("button", { name: `Remove the message from ${annName} from saved` })
    .click();
  await expect(saved.getByText("Nothing saved yet.", { exact: false })).toBeVisible();

  // Mark as unread: the chat counts the marked message and those after it as unread again,
  // and opening it shows where that starts, then reads it.
  await saved.getByRole("button", { name: "Close" }).click();
  await chatLink(ben, annName).click();
  await openMessageActions(ben, "Ship it on");
  await ben.getByRole("menuitem", { name: "Mark as unread" }).click();
  await ben.getByRole("link", { name: "Back to chats" }).click();
  const unread = chatLink(ben, annName).getByTestId("chat-unread");
  await expect(unread).toHaveAttribute("data-count", "2");
  await chatLink(ben, annName).click();
  await expect(log(ben).getByText("2 new messages")).toBeVisible();
  await ben.getByRole("link", { name: "Back to chats" }).click();
  await expect(chatLink(ben, annName).getByTestId("chat-unread")).toHaveCount(0);

  await closeAll(ann, ben);
});
