import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
  type Page,
} from "./fixtures";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";

const DEMO_PASSWORD = "parley-demo";

async function signInThroughUi(page: Page, email: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Alice, somewhere else: an API client with her session cookie. */
async function signInAsAlice(baseURL: string): Promise<APIRequestContext> {
  const alice = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { origin: baseURL },
  });
  const signIn = await alice.post("/api/auth/sign-in/email", {
    data: { email: "alice@example.com", password: DEMO_PASSWORD },
  });
  expect(signIn.ok()).toBe(true);
  return alice;
}

/** The seeded direct chat between Alice and Bob, as Alice lists it. */
async function chatWithBob(alice: APIRequestContext): Promise<string> {
  return (await directChatWithBob(alice)).id;
}

async function directChatWithBob(
  alice: APIRequestContext,
): Promise<{ id: string; directUserId: string }> {
  const input = encodeURIComponent(JSON.stringify({ json: { limit: 50 } }));
  const response = await alice.get(`/api/trpc/chats.list?input=${input}`);
  expect(response.ok()).toBe(true);
  type Item = { id: string; type: string; title: string; directUserId: string | null };
  const body = (await response.json()) as { result: { data: { json: { items: Item[] } } } };
  const chat = body.result.data.json.items.find(
    (c) => c.type === "direct" && c.title === "Bob Brown",
  );
  expect(chat?.directUserId).toBeTruthy();
  return { id: chat?.id ?? "", directUserId: chat?.directUserId ?? "" };
}

async function send(alice: APIRequestContext, chatId: string, content: string): Promise<void> {
  const response = await alice.post("/api/trpc/messages.send", {
    data: { json: { chatId, content } },
  });
  expect(response.ok()).toBe(true);
}

async function unreadCount(page: Page): Promise<number> {
  const badge = page.getByTestId("unread-total");
  await expect(badge).toHaveAttribute("data-count", /^\d+$/);
  return Number(await badge.getAttribute("data-count"));
}

test("Bob's unread count rises live when Alice writes to him", async ({ page, baseURL }) => {
  await signInThroughUi(page, "bob@example.com");
  await expect(page.getByTestId("realtime-status")).toHaveAttribute(
    "data-realtime-status",
    "connected",
  );
  const before = await unreadCount(page);
  // A marker that a reload would wipe out.
  await page.evaluate(() => {
    document.documentElement.dataset.e2eMarker = "same-page";
  });

  const alice = await signInAsAlice(baseURL ?? "");
  const chatId = await chatWithBob(alice);
  await send(alice, chatId, "Are the numbers for slide 7 in yet?");

  await expect(page.getByTestId("unread-total")).toHaveAttribute("data-count", String(before + 1));
  await expect(page.locator("html")).toHaveAttribute("data-e2e-marker", "same-page");
  await expect(page.getByTestId("connection-banner")).toHaveCount(0);
  await alice.dispose();
});

test("going offline shows a banner, and what was missed arrives on reconnect", async ({
  page,
  context,
  baseURL,
}) => {
  await signInThroughUi(page, "bob@example.com");
  const status = page.getByTestId("realtime-status");
  await expect(status).toHaveAttribute("data-realtime-status", "connected");
  const before = await unreadCount(page);

  await context.setOffline(true);
  await expect(status).toHaveAttribute("data-realtime-status", "offline");
  await expect(page.getByTestId("connection-banner")).toContainText("offline");

  const alice = await signInAsAlice(baseURL ?? "");
  await send(alice, await chatWithBob(alice), "Sent while Bob was offline");

  await context.setOffline(false);
  await expect(status).toHaveAttribute("data-realtime-status", "connected", { timeout: 20_000 });
  await expect(page.getByTestId("connection-banner")).toHaveCount(0);
  await expect(page.getByTestId("unread-total")).toHaveAttribute("data-count", String(before + 1));
  await alice.dispose();
});

test("an open page counts Bob as online for Alice", async ({ page, baseURL }) => {
  const alice = await signInAsAlice(baseURL ?? "");
  const { directUserId: bobId } = await directChatWithBob(alice);
  const issued = await alice.post("/api/trpc/realtime.token", { data: {} });
  expect(issued.ok()).toBe(true);
  const { token } = ((await issued.json()) as { result: { data: { json: { token: string } } } })
    .result.data.json;

  // Alice watches presence from Node with the real client (Node 20 needs ws as transport).
  const client = createClient(baseURL ?? "", token, {
    accessToken: () => Promise.resolve(token),
    realtime: { transport: WebSocket as never },
  });
  await client.realtime.setAuth();
  // Presence is per workspace: the one the token was minted in (its `org` claim).
  const { org } = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as {
    org: string;
  };
  const presence = client.channel(`presence:${org}`, {
    config: { private: true, presence: { enabled: true } },
  });
  const joined = new Promise<string>((resolve) => presence.subscribe((status) => resolve(status)));
  expect(await joined).toBe("SUBSCRIBED");
  const online = () => Object.keys(presence.presenceState());

  try {
    await expect.poll(online).not.toContain(bobId); // no page of Bob's is open yet
    await signInThroughUi(page, "bob@example.com");
    await expect.poll(online).toContain(bobId);
    await page.close();
    await expect.poll(online).not.toContain(bobId);
  } finally {
    await client.removeAllChannels();
    await alice.dispose();
  }
});
