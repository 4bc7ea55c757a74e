import { expect, test, type Page } from "./fixtures";
import {
  annAndBen,
  chatLink,
  closeAll,
  composer,
  keepScreenshot,
  log,
  messageWithText,
  startDirectChat,
  holdRealtimeToken,
  sendAndWait,
  waitUntilLive,
} from "./chat-helpers";
import { expectAccessibleInBothThemes } from "./helpers";

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
}

interface NotificationRecorder {
  shown: ShownNotification[];
  instances: Notification[];
}

/**
 * Instruments the browser's Notification API: the real constructor still runs, and each
 * call is recorded where the test can read it.
 */
async function recordNotifications(page: Page): Promise<void> {
  const context = page.context();
  await context.grantPermissions(["notifications"]);
  await context.addInitScript(() => {
    const Real = window.Notification;
    const recorder: NotificationRecorder = { shown: [], instances: [] };
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        recorder.shown.push({ title, body: options?.body ?? "", tag: options?.tag ?? "" });
        super(title, options);
        recorder.instances.push(this);
      }
    }
    Object.defineProperty(window, "Notification", { value: Recorded, configurable: true });
    Object.defineProperty(window, "__notifications", { value: recorder });
  });
}

function shownNotifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(
    () => (window as unknown as { __notifications: NotificationRecorder }).__notifications.shown,
  );
}

/** As if the user switched to another tab: hidden, unfocused, and told so by the events. */
async function sendToBackground(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.hasFocus = () => false;
    document.dispatchEvent(new Event("visibilitychange"));
    window.dispatchEvent(new Event("blur"));
  });
}

test("unread badges count up and clear, and the page title shows the total", async ({
  browser,
}, testInfo) => {
  const { annName, benName, ann, ben } = await annAndBen(browser);
  await ben.goto("/chat");
  await waitUntilLive(ben);
  await expect(ben).toHaveTitle("Chat · Parley");

  await startDirectChat(ann, benName);
  const link = chatLink(ben, annName);
  await expect(link).toBeVisible();
  await expect(link.getByTestId("chat-unread")).toHaveCount(0);

  for (const text of ["first ping", "second ping", "third ping"]) await sendAndWait(ann, text);
  await expect(link.getByTestId("chat-unread")).toHaveAttribute("data-count", "3");
  await expect(ben).toHaveTitle("(3) Chat · Parley");
  await keepScreenshot(ben, testInfo, "unread-badge.png");

  await link.click();
  await expect(messageWithText(ben, "third ping")).toBeVisible();
  await expect(link.getByTestId("chat-unread")).toHaveCount(0);
  await expect(ben).toHaveTitle("Chat · Parley");
  await keepScreenshot(ben, testInfo, "unread-cleared.png");
  await closeAll(ann, ben);
});

test("reading a chat clears its badge even before the page has joined its channels", async ({
  browser,
}) => {
  const { annName, benName, ann, ben } = await annAndBen(browser);
  await startDirectChat(ann, benName);
  for (const text of ["one", "two"]) await sendAndWait(ann, text);

  // Ben's page gets no realtime token for now: no channel, so no "chat.read" event either.
  const release = await holdRealtimeToken(ben);
  await ben.goto("/chat");
  const link = chatLink(ben, annName);
  await expect(link.getByTestId("chat-unread")).toHaveAttribute("data-count", "2");
  await expect(ben).toHaveTitle("(2) Chat · Parley");
  await link.click();
  await expect(messageWithText(ben, "two")).toBeVisible();
  await expect(link.getByTestId("chat-unread")).toHaveCount(0);
  await expect(ben).toHaveTitle("Chat · Parley");
  await release();
  await closeAll(ann, ben);
});

test("messages sent while offline arrive once each, in order, on reconnect", async ({
  browser,
}, testInfo) => {
  const { annName, benName, ann, ben } = await annAndBen(browser);
  await startDirectChat(ann, benName);
  await sendAndWait(ann, "before the gap");

  await ben.goto("/chat");
  await chatLink(ben, annName).click();
  await expect(messageWithText(ben, "before the gap")).toBeVisible();
  await waitUntilLive(ben);

  await ben.context().setOffline(true);
  await expect(ben.getByTestId("realtime-status")).toHaveAttribute(
    "data-realtime-status",
    "offline",
  );
  await expect(ben.getByTestId("connection-banner")).toContainText("offline");
  const missed = ["missed one", "missed two", "missed three"];
  for (const text of missed) await sendAndWait(ann, text);
  await keepScreenshot(ben, testInfo, "offline-banner.png");

  await ben.context().setOffline(false);
  await waitUntilLive(ben);
  await expect(ben.getByTestId("connection-banner")).toHaveCount(0);
  await expect(messageWithText(ben, "missed three")).toBeVisible();
  for (const text of missed) await expect(messageWithText(ben, text)).toHaveCount(1);
  const texts = await log(ben).getByTestId("message").allTextContents();
  const positions = ["before the gap", ...missed].map((text) =>
    texts.findIndex((t) => t.includes(text)),
  );
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  await keepScreenshot(ben, testInfo, "offline-caught-up.png");
  await closeAll(ann, ben);
});

test("a desktop notification in the background, none once the chat is muted", async ({
  browser,
}, testInfo) => {
  const { tag, annName, benName, ann, ben } = await annAndBen(browser, {
    ben: recordNotifications,
  });
  const groupName = `Later ${tag}`;

  // Ben turns notifications on from the prompt below his chat list: shown after the page
  // loads, it must not push the chats down under his pointer.
  await ben.goto("/chat");
  const prompt = ben.getByRole("region", { name: "Message notifications" });
  await expect(prompt).toBeVisible();
  const searchBox = await ben.getByRole("searchbox", { name: "Search chats" }).boundingBox();
  const promptBox = await prompt.boundingBox();
  const list = await ben.getByRole("region", { name: "Chats" }).boundingBox();
  expect(promptBox!.y).toBeGreaterThan(searchBox!.y + searchBox!.height);
  expect(promptBox!.y + promptBox!.height).toBeCloseTo(list!.y + list!.height, -1);
  await keepScreenshot(ben, testInfo, "notification-prompt.png");
  await expectAccessibleInBothThemes(ben);
  await expect(prompt).toBeVisible();
  await prompt.getByRole("button", { name: "Turn on notifications" }).click();
  await expect(ben.getByText("Notifications on")).toBeVisible();
  await expect(prompt).toHaveCount(0);

  // Ann writes while Ben has another page open in a background tab.
  const chatId = await startDirectChat(ann, benName);
  await ben.goto("/dashboard");
  await waitUntilLive(ben);
  await sendToBackground(ben);
  await sendAndWait(ann, "Are you there?");
  await expect
    .poll(() => shownNotifications(ben))
    .toContainEqual({ title: annName, body: "Are you there?", tag: `parley-chat:${chatId}` });
  await expect(ben).toHaveTitle(/^\(1\) Dashboard · Parley$/);

  // Clicking the notification opens the chat.
  await ben.evaluate(() => {
    const { instances } = (window as unknown as { __notifications: NotificationRecorder })
      .__notifications;
    instances.at(-1)?.dispatchEvent(new Event("click"));
  });
  await expect(ben).toHaveURL(new RegExp(`/chat/${chatId}$`));
  await expect(messageWithText(ben, "Are you there?")).toBeVisible();

  // Ben mutes the chat. A group Ann creates afterwards is not muted: its message, sent after
  // the muted one, shows that the muted one has been dealt with.
  await ben.getByRole("button", { name: "Conversation info" }).click();
  await ben.getByRole("button", { name: "Mute", exact: true }).click();
  await ben.getByRole("menuitem", { name: "For 1 hour" }).click();
  await expect(ben.getByText("Chat muted")).toBeVisible();
  await expect(ben.getByTestId("mute-state")).toHaveAttribute("data-muted", "true");

  await ann.getByRole("button", { name: "New chat" }).first().click();
  await ann.getByRole("tab", { name: "Group" }).click();
  await ann.getByLabel("Group name").fill(groupName);
  await ann.getByLabel("Add members").fill(benName);
  await ann.getByRole("button", { name: benName }).click();
  await ann.getByRole("button", { name: "Create group" }).click();
  await expect(ann.getByRole("heading", { level: 1, name: groupName })).toBeVisible();
  await expect(chatLink(ben, groupName)).toBeVisible();

  await chatLink(ann, benName).click();
  await expect(ann.getByRole("heading", { level: 1, name: benName })).toBeVisible();
  await sendAndWait(ann, "Quiet, please");
  await chatLink(ann, groupName).click();
  await expect(ann.getByRole("heading", { level: 1, name: groupName })).toBeVisible();
  await sendAndWait(ann, "Group hello");

  await expect
    .poll(async () => (await shownNotifications(ben)).map((n) => n.body))
    .toContain("Group hello");
  // One message at a time, in order: by now the muted chat's message has been weighed too.
  const shown = await shownNotifications(ben);
  expect(shown.map((n) => n.body)).not.toContain("Quiet, please");
  expect(shown.map((n) => n.title)).toEqual([annName, `${annName} in ${groupName}`]);
  await keepScreenshot(ben, testInfo, "notification-muted.png");
  await closeAll(ann, ben);
});

test("a message written offline is sent once the connection is back, once", async ({ browser }) => {
  const { annName, benName, ann, ben } = await annAndBen(browser);
  await startDirectChat(ann, benName);
  await ben.goto("/chat");
  await chatLink(ben, annName).click();

  await ann.context().setOffline(true);
  await composer(ann).fill("Written on the train");
  await composer(ann).press("Enter");
  await expect(log(ann).getByRole("alert")).toContainText("Not sent");

  await ann.context().setOffline(false);
  await expect(messageWithText(ben, "Written on the train")).toHaveCount(1);
  await expect(log(ann).getByRole("alert")).toHaveCount(0);
  await expect(messageWithText(ann, "Written on the train")).toHaveCount(1);
  await closeAll(ann, ben);
});
