import { expect, test } from "./fixtures";
import {
  chatLink,
  closeAll,
  log,
  messageWithText,
  newUserOverHttp,
  randomTag,
  sendMessage,
  shareWorkspace,
  inviteInto,
} from "./chat-helpers";

test("a public room is found and joined by someone nobody invited; made private, it leaves the directory", async ({
  browser,
}) => {
  const tag = randomTag();
  const annName = `Ann ${tag}`;
  const benName = `Ben ${tag}`;
  const room = `Gardening ${tag}`;
  const ann = await newUserOverHttp(browser, annName);
  const ben = await newUserOverHttp(browser, benName, { width: 390, height: 844 });
  const workspace = await shareWorkspace(ann, ben);

  // Ann creates the room as a public group, alone in it, and says something.
  await ann.goto("/chat");
  await ann.getByRole("button", { name: "New chat" }).first().click();
  const create = ann.getByRole("dialog", { name: "New chat" });
  await create.getByRole("tab", { name: "Group" }).click();
  await create.getByLabel("Group name").fill(room);
  await create.getByRole("switch", { name: "Public room" }).click();
  await create.getByRole("button", { name: "Create group" }).click();
  await expect(ann.getByRole("heading", { level: 1, name: room })).toBeVisible();
  await sendMessage(ann, "Tomatoes are in");

  // Ben finds it under Rooms by a word of its name and joins: he is in, with its history.
  await ben.goto("/chat");
  await ben.getByRole("button", { name: "New chat" }).first().click();
  const browse = ben.getByRole("dialog", { name: "New chat" });
  await browse.getByRole("tab", { name: "Rooms" }).click();
  await browse.getByRole("searchbox", { name: "Find a room" }).fill(`gardening ${tag}`);
  const rooms = browse.getByRole("list", { name: "Public rooms" });
  await expect(rooms.getByRole("listitem")).toHaveCount(1);
  await expect(rooms).toContainText("1 member");
  await rooms.getByRole("button", { name: `Join ${room}` }).click();
  await expect(ben.getByRole("heading", { level: 1, name: room })).toBeVisible();
  await expect(messageWithText(ben, "Tomatoes are in")).toBeVisible();
  await expect(log(ben).getByText("You joined")).toBeVisible();

  // Ann sets a status; Ben sees it on her profile card, opened from her name on a message.
  await ann.getByRole("button", { name: /^Account menu/ }).click();
  await ann.getByRole("menuitem", { name: "Set a status…" }).click();
  const statusDialog = ann.getByRole("dialog", { name: "Set a status" });
  await statusDialog.getByLabel("What are you up to?").fill("In the garden");
  await statusDialog.getByLabel("Clear after").selectOption({ label: "1 hour" });
  await statusDialog.getByRole("button", { name: "Save status" }).click();
  await expect(statusDialog).toBeHidden();
  await ben.reload();
  await messageWithText(ben, "Tomatoes are in")
    .getByRole("button", { name: `${annName}'s profile` })
    .click();
  const card = ben.getByTestId("profile-card");
  await expect(card).toContainText(annName);
  await expect(card.getByTestId("profile-status")).toContainText("In the garden");
  await expect(card.getByTestId("profile-status")).toContainText("Until");
  // Ann's browser told Parley its time zone: Ben sees the time where she is.
  await expect(card.getByTestId("profile-local-time")).toContainText(/^Local time \d/);
  await expect(card.getByTestId("profile-presence")).toHaveText("Online");
  await expect(card.getByRole("button", { name: `Message ${annName}` })).toBeVisible();
  await ben.keyboard.press("Escape");
  await expect(card).toBeHidden();

  // Ann sees him arrive, live; the info panel says what kind of room it is.
  await expect(log(ann).getByText(`${benName} joined`)).toBeVisible();
  await ann.getByRole("button", { name: "Conversation info" }).click();
  await expect(ann.getByTestId("info-subtitle")).toHaveText("Public room · 2 members");

  // Made private, it is no longer in the directory for anyone outside.
  await ann.getByRole("switch", { name: "Public room" }).click();
  await expect(ann.getByTestId("info-subtitle")).toHaveText("Group · 2 members");
  const carol = await newUserOverHttp(browser, `Carol ${tag}`);
  await inviteInto(ann, workspace, carol);
  await carol.goto("/chat");
  await carol.getByRole("button", { name: "New chat" }).first().click();
  await carol.getByRole("tab", { name: "Rooms" }).click();
  await carol.getByRole("searchbox", { name: "Find a room" }).fill(`gardening ${tag}`);
  await expect(carol.getByText(`No public room matches “gardening ${tag}”.`)).toBeVisible();
  // Ben, a member, still has it.
  await ben.getByRole("link", { name: "Back to chats" }).click();
  await expect(chatLink(ben, room)).toBeVisible();

  await closeAll(ann, ben, carol);
});
