import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import {
  chatLink,
  closeAll,
  composer,
  messageWithText,
  newUserOverHttp,
  randomTag,
  shareWorkspace,
} from "./chat-helpers";

/** Makes a group of `name` with `members` through the New chat dialog; returns its id. */
async function createGroup(page: Page, name: string, members: string[]): Promise<string> {
  await page.goto("/chat");
  await page.getByRole("button", { name: "New chat" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New chat" });
  await dialog.getByRole("tab", { name: "Group" }).click();
  await dialog.getByLabel("Group name").fill(name);
  for (const person of members) {
    await dialog.getByLabel("Add members", { exact: true }).fill(person);
    await dialog.getByRole("button", { name: person }).click();
  }
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split("/").pop()!;
}

test("mentions: picked from the keyboard, shown highlighted, counted apart, listed, and kept through an edit", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = randomTag();
  const [amy, ben, cid] = [`Amy ${tag}`, `Ben ${tag}`, `Cid ${tag}`];
  const group = `Launch ${tag}`;
  const a = await newUserOverHttp(browser, amy);
  const b = await newUserOverHttp(browser, ben);
  const c = await newUserOverHttp(browser, cid);
  await shareWorkspace(a, b, c);
  await createGroup(a, group, [ben, cid]);

  // "@" and the first letters offer the members; Down and Enter pick one.
  const box = composer(a);
  await box.pressSequentially("Hi @");
  const suggestions = a.getByRole("listbox", { name: "People to mention" });
  await expect(suggestions.getByRole("option")).toHaveText([
    new RegExp(`${ben}$`),
    new RegExp(`${cid}$`),
    /^@channel/,
    /^@here/,
  ]);
  await box.pressSequentially("c");
  await expect(suggestions.getByRole("option")).toHaveText([new RegExp(`${cid}$`), /^@channel/]);
  await expect(box).toHaveAttribute("aria-activedescendant", /option-0$/);
  const axe = await new AxeBuilder({ page: a }).include("form").analyze();
  expect(axe.violations).toEqual([]);
  await box.press("Backspace");
  await box.press("b");
  await box.press("Enter");
  await expect(box).toHaveValue(`Hi @${ben} `);
  await expect(suggestions).toBeHidden();
  // Escape closes the suggestions without leaving the message.
  await box.pressSequentially("and @");
  await expect(suggestions).toBeVisible();
  await box.press("Escape");
  await expect(suggestions).toBeHidden();
  await expect(box).toHaveValue(`Hi @${ben} and @`);
  for (let i = 0; i < "and @".length; i++) await box.press("Backspace");
  await box.pressSequentially("please review");
  await box.press("Enter");

  // Everyone sees the mention by name, highlighted; Ben sees it stand out as his.
  const sent = messageWithText(a, "please review");
  await expect(sent.locator(".mention")).toHaveText(`@${ben}`);
  await b.goto("/chat");
  const badge = chatLink(b, group).getByTestId("chat-unread-mentions");
  await expect(badge).toBeVisible();
  await expect(b.getByRole("button", { name: "Mentions, 1 unread" })).toBeVisible();
  await c.goto("/chat");
  await expect(chatLink(c, group).getByTestId("chat-unread")).toBeVisible();
  await expect(chatLink(c, group).getByTestId("chat-unread-mentions")).toHaveCount(0);

  // The Mentions view lists it; choosing it opens the chat at the message, and reads it.
  await b.getByRole("button", { name: "Mentions, 1 unread" }).click();
  const list = b.getByRole("dialog", { name: "Mentions" }).getByTestId("mentions");
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list).toContainText(`Hi @${ben} please review`);
  await list.getByRole("button").first().click();
  await expect(b.getByRole("heading", { level: 1, name: group })).toBeVisible();
  await expect(messageWithText(b, "please review").locator(".mention[data-for-me]")).toHaveText(
    `@${ben}`,
  );
  await expect(badge).toHaveCount(0);
  await expect(b.getByRole("button", { name: "Mentions", exact: true })).toBeVisible();

  // Editing shows the name, not the stored token, and keeps the mention.
  await composer(a).press("ArrowUp");
  await expect(composer(a)).toHaveValue(`Hi @${ben} please review`);
  await composer(a).press("End");
  await composer(a).pressSequentially(" today");
  await composer(a).press("Enter");
  await expect(messageWithText(a, "please review today").locator(".mention")).toHaveText(`@${ben}`);

  // @channel from the suggestions reaches everyone as a mention (Amy waits in her chat list,
  // the group not open: open, it would be read at once).
  await a.goto("/chat");
  await chatLink(c, group).click();
  await composer(c).pressSequentially("@chan");
  await c.getByRole("option", { name: /@channel/ }).click();
  await composer(c).pressSequentially("standup now");
  await composer(c).press("Enter");
  await expect(messageWithText(c, "standup now").locator(".mention")).toHaveText("@channel");
  await expect(chatLink(a, group).getByTestId("chat-unread-mentions")).toBeVisible();

  await closeAll(a, b, c);
});
