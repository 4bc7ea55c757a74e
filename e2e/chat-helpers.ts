import {
  expect,
  test,
  type Browser,
  type Locator,
  type Page,
  type TestInfo,
} from "@playwright/test";
import sharp from "sharp";
import { PASSWORD, signUpThroughUi, uniqueEmail } from "./helpers";

/** Runs on a user's new page before it loads anything, e.g. to watch its traffic. */
export type PreparePage = (page: Page) => void | Promise<void>;

/** Keeps the names of one run apart from those of earlier runs on the same database. */
export function randomTag(): number {
  return Math.floor(Math.random() * 1e6);
}

/** A user signed up through the UI, in a browser context of their own. */
export async function newUser(
  browser: Browser,
  name: string,
  prepare?: PreparePage,
): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await prepare?.(page);
  await signUpThroughUi(page, name, uniqueEmail(name.split(" ")[0]!.toLowerCase()));
  return page;
}

/** A user signed up over HTTP (for journeys that are not about signing up), in a context of their own. */
export async function newUserOverHttp(
  browser: Browser,
  name: string,
  viewport?: { width: number; height: number },
): Promise<Page> {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const signUp = await context.request.post("/api/auth/sign-up/email", {
    data: { name, email: uniqueEmail(name.split(" ")[0]!.toLowerCase()), password: PASSWORD },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);
  return context.newPage();
}

/**
 * Puts `members` in a new workspace of `owner`'s, as Parley's own invitations do (Better Auth's
 * organization endpoints: the owner invites each by email, each accepts), and selects it for
 * every one of them. New accounts start in a workspace of their own; people chat with the
 * people of a workspace they share.
 */
export async function shareWorkspace(owner: Page, ...members: Page[]): Promise<string> {
  const tag = randomTag();
  const workspace = await workspaceCall(owner, "create", {
    name: `Team ${tag}`,
    slug: `team-${tag}-${Date.now().toString(36)}`,
  });
  await inviteInto(owner, workspace.id, ...members);
  return workspace.id;
}

/** `owner` invites each of `members` into `workspaceId`, and each accepts (and is in it). */
export async function inviteInto(
  owner: Page,
  workspaceId: string,
  ...members: Page[]
): Promise<void> {
  for (const member of members) {
    const session = await member.context().request.get("/api/auth/get-session");
    const { user } = (await session.json()) as { user: { email: string } };
    const invitation = await workspaceCall(owner, "invite-member", {
      email: user.email,
      role: "member",
      organizationId: workspaceId,
    });
    await workspaceCall(member, "accept-invitation", { invitationId: invitation.id });
  }
}

async function workspaceCall(page: Page, path: string, data: unknown): Promise<{ id: string }> {
  const origin = new URL(test.info().project.use.baseURL!).origin;
  const response = await page.context().request.post(`/api/auth/organization/${path}`, {
    data,
    headers: { origin },
  });
  expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
  return (await response.json()) as { id: string };
}

/** Ann and Ben, two new users whose names share a random tag; Ann signs up first. */
export async function annAndBen(
  browser: Browser,
  prepare: { ann?: PreparePage; ben?: PreparePage } = {},
) {
  const tag = randomTag();
  const annName = `Ann ${tag}`;
  const benName = `Ben ${tag}`;
  const ann = await newUser(browser, annName, prepare.ann);
  const ben = await newUser(browser, benName, prepare.ben);
  await shareWorkspace(ann, ben);
  return { tag, annName, benName, ann, ben };
}

/** Closes each page's browser context, in order. */
export async function closeAll(...pages: Page[]): Promise<void> {
  for (const page of pages) await page.context().close();
}

export function log(page: Page) {
  return page.getByRole("log", { name: "Messages" });
}

export function messageWithText(page: Page, text: string) {
  return log(page).getByTestId("message").filter({ hasText: text });
}

/** A chat's entry in the chat list; its accessible name starts with the chat's title. */
export function chatLink(page: Page, title: string) {
  return page.getByTestId("chat-list").getByRole("link", { name: new RegExp(`^${title}`) });
}

export function composer(page: Page) {
  return page.getByRole("textbox", { name: "Message" });
}

/** Types into the composer and presses its Send button. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/** Sends from the open conversation with Enter and waits until the server has it. */
export async function sendAndWait(page: Page, text: string): Promise<void> {
  const box = composer(page);
  await box.fill(text);
  await box.press("Enter");
  await expect(messageWithText(page, text).getByTestId("message-status")).toHaveAttribute(
    "data-status",
    /^(sent|delivered|read)$/,
  );
}

/** Waits until the page's realtime connection is up. */
export function waitUntilLive(page: Page) {
  return expect(page.getByTestId("realtime-status")).toHaveAttribute(
    "data-realtime-status",
    "connected",
    { timeout: 20_000 },
  );
}

/** Opens the actions menu of the message with `text`, with the mouse. */
export async function openMessageActions(page: Page, text: string): Promise<void> {
  const message = messageWithText(page, text);
  await message.hover();
  await message.getByRole("button", { name: "Message actions" }).click();
}

/** Opens a direct chat with `otherName` through the "New chat" dialog; returns its id. */
export async function startDirectChat(page: Page, otherName: string): Promise<string> {
  await page.goto("/chat");
  await page.getByRole("button", { name: "New chat" }).first().click();
  await page.getByLabel("Who do you want to talk to?").fill(otherName);
  await page.getByRole("button", { name: otherName }).click();
  await expect(page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: otherName })).toBeVisible();
  return new URL(page.url()).pathname.split("/").at(-1)!;
}

/** Attaches a plain PNG of one colour to the composer and waits for its upload. */
export async function attachPng(
  page: Page,
  name: string,
  image: { width: number; height: number; background: string },
  /** Where the composer is, when the page has more than one (a thread beside the chat). */
  within: Page | Locator = page,
): Promise<void> {
  const buffer = await sharp({ create: { ...image, channels: 3 } })
    .png()
    .toBuffer();
  await within.locator("input[type=file]").setInputFiles({ name, mimeType: "image/png", buffer });
  await expect(within.getByTestId("upload")).toHaveAttribute("data-state", "done");
}

/** Saves a screenshot of the page into the test's output and attaches it to the report. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(name);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/**
 * Holds the page's realtime token requests until the returned function is called: until
 * then the page has no realtime channel, so it hears no presence and no events.
 */
export async function holdRealtimeToken(page: Page): Promise<() => Promise<void>> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname.startsWith("/api/trpc/") && url.pathname.includes("realtime.token"),
    async (route) => {
      await held;
      await route.continue();
    },
  );
  return async () => {
    release();
    await page.unrouteAll({ behavior: "wait" });
  };
}
