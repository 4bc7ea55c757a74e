import { expect, test, type Page } from "./fixtures";
import {
  annAndBen,
  closeAll,
  composer,
  messageWithText,
  newUserOverHttp,
  randomTag,
  sendMessage,
  startDirectChat,
} from "./chat-helpers";
import { expectAccessibleInBothThemes, mailedLink, PASSWORD, uniqueEmail } from "./helpers";

function switcher(page: Page) {
  return page.getByRole("button", { name: /^Workspace: .*Switch workspace$/ });
}

/** Opens the workspace menu (retrying a click made before the page hydrated). */
async function openSwitcher(page: Page) {
  await expect(async () => {
    await switcher(page).click();
    await expect(page.getByRole("menu")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

test("create a workspace, invite by email, join as a new account and chat; the switcher moves between workspaces", async ({
  browser,
}) => {
  const tag = randomTag();
  const olgaName = `Olga ${tag}`;
  const studio = `Studio ${tag}`;
  const olga = await newUserOverHttp(browser, olgaName);
  await olga.goto("/chat");

  // A workspace of her own making: she owns it and the app opens in it.
  await openSwitcher(olga);
  await olga.getByRole("menuitem", { name: "Create a workspace…" }).click();
  const create = olga.getByRole("dialog", { name: "Create a workspace" });
  await create.getByLabel("Workspace name").fill(studio);
  await create.getByRole("button", { name: "Create workspace" }).click();
  await expect(olga).toHaveURL(/\/workspace\/members$/);
  await expect(switcher(olga)).toHaveAccessibleName(`Workspace: ${studio}. Switch workspace`);
  await expect(olga.getByRole("row", { name: new RegExp(olgaName) })).toContainText("Owner");

  // The invitation goes out by email.
  const email = uniqueEmail("nora");
  await olga.getByRole("button", { name: "Invite people" }).click();
  const invite = olga.getByRole("dialog", { name: `Invite to ${studio}` });
  await invite.getByLabel("Email address").fill(email);
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(invite).toBeHidden();
  await olga.getByRole("link", { name: "Invitations" }).click();
  await expect(olga.getByRole("row", { name: new RegExp(email) })).toContainText("Member");

  // Nora has no account: the link says what it is and she creates one on the way.
  const href = await mailedLink(browser, email, `${olgaName} invited you to ${studio} on Parley`);
  const nora = await (await browser.newContext()).newPage();
  await nora.goto(href);
  await expect(
    nora.getByRole("heading", { name: `${olgaName} invited you to ${studio}` }),
  ).toBeVisible();
  await nora.getByRole("link", { name: "Create an account" }).click();
  await expect(nora.getByLabel("Email")).toHaveValue(email);
  await nora.getByLabel("Name").fill(`Nora ${tag}`);
  await nora.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await nora.getByRole("button", { name: "Create account" }).click();
  await expect(nora).toHaveURL(new URL(href).pathname);
  await nora.getByRole("button", { name: `Join ${studio}` }).click();
  await expect(nora).toHaveURL(/\/chat$/);
  await expect(nora.getByText(`Welcome to ${studio}.`)).toBeVisible();
  await expect(switcher(nora)).toHaveAccessibleName(`Workspace: ${studio}. Switch workspace`);

  // The people of the workspace find each other.
  await startDirectChat(nora, olgaName);
  await sendMessage(nora, "Hello from the new account");
  await olga.goto("/chat");
  await olga
    .getByTestId("chat-list")
    .getByRole("link", { name: new RegExp(`^Nora ${tag}`) })
    .click();
  await expect(messageWithText(olga, "Hello from the new account")).toBeVisible();

  // Her own workspace has neither Olga nor the chat; switching back brings both.
  await openSwitcher(nora);
  await nora.getByRole("menuitem", { name: new RegExp(`^Nora ${tag}'s workspace`) }).click();
  await expect(switcher(nora)).toHaveAccessibleName(
    `Workspace: Nora ${tag}'s workspace. Switch workspace`,
  );
  await expect(
    nora.getByTestId("chat-list").getByRole("link", { name: new RegExp(olgaName) }),
  ).toHaveCount(0);
  await openSwitcher(nora);
  await nora.getByRole("menuitem", { name: new RegExp(`^${studio}`) }).click();
  await expect(switcher(nora)).toHaveAccessibleName(`Workspace: ${studio}. Switch workspace`);
  await expect(
    nora.getByTestId("chat-list").getByRole("link", { name: new RegExp(`^${olgaName}`) }),
  ).toBeVisible();

  // Used once: the link now says so.
  await nora.goto(href);
  await expect(nora.getByText("This invitation has been used already.")).toBeVisible();
  await closeAll(olga, nora);
});

test("someone removed from a workspace loses the chat open on their screen at once", async ({
  browser,
}) => {
  const { ann, ben, annName, benName } = await annAndBen(browser);
  await startDirectChat(ben, annName);
  await sendMessage(ben, "Still here?");
  await expect(composer(ben)).toBeEditable();

  await ann.goto("/workspace/members");
  await ann.getByRole("button", { name: `Remove ${benName}` }).click();
  await ann.getByRole("alertdialog").getByRole("button", { name: "Remove" }).click();
  await expect(ann.getByRole("row", { name: new RegExp(benName) })).toHaveCount(0);

  // Ben's page leaves the workspace by itself, and says why.
  await expect(ben).toHaveURL(/\/chat$/);
  await expect(ben.getByText(/^You are no longer a member of Team \d+\.$/)).toBeVisible();
  await expect(
    ben.getByTestId("chat-list").getByRole("link", { name: new RegExp(annName) }),
  ).toHaveCount(0);

  // What roles may do is the workspace's to change, and its activity says who did what.
  await ann.goto("/workspace/roles");
  const guestsJoinRooms = ann.getByRole("checkbox", {
    name: "Guest: Find and join the workspace's public rooms",
  });
  await expect(guestsJoinRooms).not.toBeChecked();
  await guestsJoinRooms.click();
  await expect(guestsJoinRooms).toBeChecked();
  await expect(ann.getByRole("checkbox", { name: "Owner: Create group chats" })).toBeDisabled();
  // A role of the workspace's own, from a template, and gone again while nobody holds it.
  await ann.getByRole("button", { name: "New role" }).click();
  const newRole = ann.getByRole("dialog", { name: "New role" });
  await newRole.getByLabel("Role name").fill("reviewer");
  await newRole.getByLabel("Start from").selectOption({ label: "Guest" });
  await newRole.getByRole("button", { name: "Create role" }).click();
  await expect(newRole).toBeHidden();
  await expect(
    ann.getByRole("checkbox", { name: "Reviewer: Find and join the workspace's public rooms" }),
  ).toBeChecked();
  await expectAccessibleInBothThemes(ann);
  await ann.getByRole("button", { name: "Remove the role Reviewer" }).click();
  await ann.getByRole("alertdialog").getByRole("button", { name: "Remove role" }).click();
  await expect(ann.getByRole("columnheader", { name: /^Reviewer/ })).toHaveCount(0);

  // The audit log is written in batches: the page shows the changes once they are.
  const activity = ann.getByRole("list", { name: "Workspace activity" });
  await expect(async () => {
    await ann.goto("/workspace/activity");
    await expect(activity.getByRole("listitem").first()).toContainText(
      `${annName} removed the role reviewer`,
      { timeout: 1_000 },
    );
  }).toPass({ timeout: 20_000 });
  await expect(activity).toContainText(
    "changed what guests may do: chat.view, chat.initiate_call, chat.join_rooms",
  );
  await expect(activity).toContainText(`${annName} removed ${benName}`);
  await closeAll(ann, ben);
});
