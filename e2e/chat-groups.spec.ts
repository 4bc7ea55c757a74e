import { expect, test, type Page } from "./fixtures";
import {
  attachPng,
  chatLink,
  closeAll,
  keepScreenshot,
  log,
  messageWithText,
  newUser,
  randomTag,
  sendMessage,
  startDirectChat,
  type PreparePage,
  holdRealtimeToken,
  shareWorkspace,
} from "./chat-helpers";
import { expectAccessibleInBothThemes } from "./helpers";

/** Collects what the page's sockets receive into `frames`. */
function recordFrames(frames: string[]): PreparePage {
  return (page) => {
    page.on("websocket", (socket) =>
      socket.on("framereceived", ({ payload }) =>
        frames.push(typeof payload === "string" ? payload : payload.toString("utf8")),
      ),
    );
  };
}

const panel = (page: Page) => page.getByTestId("info-panel");
const memberRow = (page: Page, name: string) =>
  panel(page).getByTestId("member").filter({ hasText: name });

async function manage(page: Page, member: string, action: string) {
  await memberRow(page, member)
    .getByRole("button", { name: `Manage ${member}` })
    .click();
  await page.getByRole("menuitem", { name: action }).click();
}

test("a group's info panel: roles, rename and removal reach every member live", async ({
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const tag = randomTag();
  const amy = `Amy ${tag}`;
  const bill = `Bill ${tag}`;
  const cleo = `Cleo ${tag}`;
  const groupName = `Trip ${tag}`;
  const renamed = `Offsite ${tag}`;
  const cFrames: string[] = [];
  const a = await newUser(browser, amy);
  const b = await newUser(browser, bill);
  const c = await newUser(browser, cleo, recordFrames(cFrames));
  await shareWorkspace(a, b, c);
  await a.goto("/chat");
  await c.goto("/chat");
  await expect(a.getByText("No chats yet")).toBeVisible();
  await expect(c.getByText("No chats yet")).toBeVisible();

  // Bill creates the group with Amy and Cleo; both see it without a reload.
  await b.goto("/chat");
  await b.getByRole("button", { name: "New chat" }).first().click();
  const dialog = b.getByRole("dialog", { name: "New chat" });
  await dialog.getByRole("tab", { name: "Group" }).click();
  await dialog.getByLabel("Group name").fill(groupName);
  for (const person of [amy, cleo]) {
    await dialog.getByLabel("Add members", { exact: true }).fill(person);
    await dialog.getByRole("button", { name: person }).click();
  }
  await expect(
    dialog.getByRole("list", { name: "Members to add" }).getByRole("listitem"),
  ).toHaveCount(2);
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(b).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  const chatId = new URL(b.url()).pathname.split("/").pop()!;
  await expect(b.getByRole("heading", { level: 1, name: groupName })).toBeVisible();
  for (const page of [a, c]) {
    await chatLink(page, groupName).click();
    await expect(page.getByRole("heading", { level: 1, name: groupName })).toBeVisible();
  }

  // While Cleo is a member, Amy's message with a picture reaches her browser and her page.
  await attachPng(a, "pink.png", { width: 32, height: 32, background: "#cc3366" });
  const before = `With Cleo ${tag}`;
  await sendMessage(a, before);
  await expect(messageWithText(c, before)).toBeVisible();
  const heardByCleo = (frame: string) =>
    frame.includes(chatId) &&
    (frame.includes("message.created") || frame.includes("chat.activity"));
  expect(cFrames.some(heardByCleo)).toBe(true);

  // Bill opens the info panel: three members, Bill the owner, everyone online, one file.
  await b.getByRole("button", { name: "Conversation info" }).click();
  await expect(panel(b).getByTestId("member")).toHaveCount(3);
  await expect(memberRow(b, bill)).toContainText("Owner");
  await expect(memberRow(b, amy)).toContainText("Member");
  await expect(memberRow(b, cleo)).toContainText("Online");
  await expect(panel(b).getByTestId("storage-total")).toHaveText(/^1 file · [\d.,]+ (B|kB)$/);
  // The picture is among the chat's media, and shows where it was sent.
  const picture = panel(b)
    .getByTestId("chat-files")
    .getByRole("button", { name: new RegExp(`^pink\\.png, from ${amy}`) });
  await expect(picture.locator("img")).toHaveJSProperty("complete", true);
  await picture.click();
  await expect(messageWithText(b, before)).toBeInViewport();

  // Amy watches her own panel while Bill makes her an admin.
  await a.getByRole("button", { name: "Conversation info" }).click();
  await expect(memberRow(a, amy)).toContainText("Member");
  await expect(panel(a).getByRole("button", { name: "Add members" })).toHaveCount(0);
  await manage(b, amy, "Make admin");
  await expect(memberRow(b, amy)).toContainText("Admin");
  await expect(memberRow(a, amy)).toContainText("Admin");
  await expect(panel(a).getByRole("button", { name: "Add members" })).toBeVisible();

  // Bill renames the group; the others' headers and lists follow.
  await panel(b).getByRole("button", { name: "Edit name and description" }).click();
  await panel(b).getByLabel("Group name").fill(renamed);
  await panel(b).getByLabel("Description").fill("Planning the autumn offsite");
  await panel(b).getByRole("button", { name: "Save" }).click();
  await expect(panel(b).getByTestId("info-title")).toHaveText(renamed);
  for (const page of [a, b, c]) {
    await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();
    await expect(chatLink(page, renamed)).toBeVisible();
  }
  await expect(panel(a).getByText("Planning the autumn offsite")).toBeVisible();
  // The conversation says what happened, and who did it.
  await expect(log(a).getByText(`${bill} renamed the group to “${renamed}”`)).toBeVisible();
  await expect(log(b).getByText(`You renamed the group to “${renamed}”`)).toBeVisible();
  await keepScreenshot(b, testInfo, "group-info-panel-owner.png");
  await keepScreenshot(a, testInfo, "group-info-panel-admin.png");

  // Bill removes Cleo: the chat leaves her list and her open tab, without a reload.
  await manage(b, cleo, "Remove from group");
  await b.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
  await expect(memberRow(b, cleo)).toHaveCount(0);
  await expect(memberRow(a, cleo)).toHaveCount(0);
  await expect(log(a).getByText(`${bill} removed ${cleo}`)).toBeVisible();
  await expect(c).toHaveURL(/\/chat$/);
  await expect(c.getByText("You are no longer a member of that chat.")).toBeVisible();
  await expect(chatLink(c, renamed)).toHaveCount(0);
  const seenBefore = cFrames.length;

  // Amy writes after the removal: Bill gets it, Cleo's browser hears nothing of it.
  const after = `Without Cleo ${tag}`;
  await sendMessage(a, after);
  await expect(messageWithText(b, after)).toBeVisible();
  await expect(c.getByText(after)).toHaveCount(0);
  expect(cFrames.slice(seenBefore).filter(heardByCleo)).toEqual([]);
  await c.goto(`/chat/${chatId}`);
  await expect(c.getByText("This chat is not available")).toBeVisible();
  await expect(c.getByText(after)).toHaveCount(0);

  // The open panel passes axe in both themes (it stays open across reloads on wide screens).
  await expectAccessibleInBothThemes(b);
  await expect(memberRow(b, amy)).toContainText("Admin");

  // On a phone the panel is a sheet over the conversation.
  await b.setViewportSize({ width: 360, height: 740 });
  await expect(panel(b)).toHaveCount(0);
  await b.getByRole("button", { name: "Conversation info" }).click();
  const sheet = b.getByRole("dialog", { name: "Conversation info" });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByTestId("member")).toHaveCount(2);
  const box = await sheet.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(360);
  await keepScreenshot(b, testInfo, "group-info-sheet-phone.png");
  await b.keyboard.press("Escape");
  await expect(sheet).toHaveCount(0);
  await expect(b.getByRole("button", { name: "Conversation info" })).toBeFocused();
  await b.setViewportSize({ width: 1280, height: 720 });

  // Amy leaves; Bill, the owner, is told to hand over first, and deletes the group instead.
  await panel(a).getByRole("button", { name: "Leave group" }).click();
  await a.getByRole("alertdialog").getByRole("button", { name: "Leave group" }).click();
  await expect(a).toHaveURL(/\/chat$/);
  await expect(chatLink(a, renamed)).toHaveCount(0);
  await expect(panel(b).getByTestId("member")).toHaveCount(1);
  await expect(panel(b).getByRole("button", { name: "Leave group" })).toHaveCount(0);
  await expect(panel(b).getByTestId("owner-leave-hint")).toContainText("only member");
  await panel(b).getByRole("button", { name: "Delete group" }).click();
  const confirm = b.getByRole("alertdialog");
  const deleteButton = confirm.getByRole("button", { name: "Delete group" });
  await expect(deleteButton).toBeDisabled();
  await confirm.getByLabel(/to confirm$/).fill(renamed);
  await deleteButton.click();
  await expect(b).toHaveURL(/\/chat$/);
  await expect(chatLink(b, renamed)).toHaveCount(0);

  await closeAll(a, b, c);
});

test("a direct chat's info panel shows the other person and my settings, no members to manage", async ({
  browser,
}, testInfo) => {
  const tag = randomTag();
  const dora = `Dora ${tag}`;
  const eli = `Eli ${tag}`;
  const d = await newUser(browser, dora);
  const e = await newUser(browser, eli);
  await shareWorkspace(d, e);
  await e.goto("/chat");
  await startDirectChat(d, eli);

  await d.getByRole("button", { name: "Conversation info" }).click();
  await expect(panel(d).getByTestId("info-title")).toHaveText(eli);
  await expect(panel(d).getByTestId("info-subtitle")).toHaveText("Online");
  await expect(panel(d).getByTestId("member")).toHaveCount(0);
  await expect(panel(d).getByRole("button", { name: /Leave|Delete/ })).toHaveCount(0);
  await expect(panel(d).getByTestId("storage-stats")).toContainText("No files shared yet.");

  // Mute for an hour: the list shows the muted icon; unmuting clears it.
  await panel(d).getByRole("button", { name: "Mute" }).click();
  await d.getByRole("menuitem", { name: "For 1 hour" }).click();
  await expect(panel(d).getByTestId("mute-state")).toHaveAttribute("data-muted", "true");
  await expect(chatLink(d, eli).getByLabel("Muted")).toBeVisible();
  await panel(d).getByLabel("Notify me about").selectOption("mentions");
  await expect(d.getByText("Notification setting saved")).toBeVisible();
  await d.reload();
  await expect(panel(d).getByLabel("Notify me about")).toHaveValue("mentions");
  await expect(panel(d).getByTestId("mute-state")).toHaveAttribute("data-muted", "true");
  await keepScreenshot(d, testInfo, "direct-info-panel.png");
  await panel(d).getByRole("button", { name: "Unmute" }).click();
  await expect(panel(d).getByTestId("mute-state")).toHaveAttribute("data-muted", "false");
  await expect(chatLink(d, eli).getByLabel("Muted")).toHaveCount(0);

  // Until the server has said who is online, neither the header nor the panel says
  // "Offline" of someone who is online: they say nothing, then "Online".
  const release = await holdRealtimeToken(d);
  await d.reload();
  await expect(panel(d).getByTestId("info-title")).toHaveText(eli);
  await expect(d.getByTestId("chat-subtitle")).toHaveText("");
  await expect(panel(d).getByTestId("info-subtitle")).toHaveText("");
  await release();
  await expect(d.getByTestId("chat-subtitle")).toHaveText("Online");

  // Eli goes away: Dora's panel shows it.
  await expect(panel(d).getByTestId("info-subtitle")).toHaveText("Online");
  await e.context().close();
  await expect(panel(d).getByTestId("info-subtitle")).toHaveText("Offline");
  await d.context().close();
});
