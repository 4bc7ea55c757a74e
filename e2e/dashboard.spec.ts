import { expect, request as playwrightRequest, test } from "./fixtures";
import {
  DEMO_PASSWORD,
  expectAccessibleInBothThemes,
  signInThroughUi,
  signUpThroughUi,
  uniqueEmail,
} from "./helpers";

test("a seeded user sees their figures, API chart and latest messages", async ({
  page,
  baseURL,
}) => {
  // Alice calls the REST API with a key of hers, once successfully and once not.
  const api = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { origin: baseURL ?? "" },
  });
  const signIn = await api.post("/api/auth/sign-in/email", {
    data: { email: "alice@example.com", password: DEMO_PASSWORD },
  });
  expect(signIn.ok()).toBe(true);
  const created = await api.post("/api/trpc/apiKeys.create", {
    data: { json: { name: "dashboard-e2e", scopes: ["profile:read"] } },
  });
  expect(created.ok()).toBe(true);
  const secret = ((await created.json()) as { result: { data: { json: { secret: string } } } })
    .result.data.json.secret;
  const auth = { authorization: `Bearer ${secret}` };
  expect((await api.get("/api/v1/me", { headers: auth })).status()).toBe(200);
  expect(
    (await api.get("/api/v1/chats/not-a-chat", { headers: auth })).status(),
  ).toBeGreaterThanOrEqual(400);
  await api.dispose();

  await signInThroughUi(page, "alice@example.com", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Welcome, Alice Anders" })).toBeVisible();
  await expect(page.getByText("Signed in as alice@example.com")).toBeVisible();
  await expect(page.getByTestId("stat-unread")).toContainText("Unread messages");
  await expect(page.getByTestId("stat-chats")).toContainText("Direct and group");

  // Audit rows are written in the background: the chart appears once they are.
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole("table", { name: /My API requests per day by status/ }),
    ).toBeAttached({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("stat-requests")).not.toContainText(/7 days0\b/);
  await expect(page.getByTestId("key-events")).toContainText("dashboard-e2e");

  const recent = page.getByTestId("recent-messages");
  await expect(recent.getByRole("link").first()).toBeVisible();
  const href = await recent.getByRole("link").first().getAttribute("href");
  expect(href).toMatch(/^\/chat\/[0-9a-f-]{36}$/);

  await expectAccessibleInBothThemes(page);
});

test("a new user sees designed empty states", async ({ page }) => {
  const email = uniqueEmail("dash");
  await signUpThroughUi(page, "Dana Dash", email);
  await expect(page.getByRole("heading", { name: "Welcome, Dana Dash" })).toBeVisible();
  await expect(page.getByTestId("stat-chats")).toContainText("No chats yet");
  await expect(page.getByRole("link", { name: "Start a chat" })).toHaveAttribute("href", "/chat");
  await expect(page.getByText("No API requests yet")).toBeVisible();
  await expect(page.getByRole("link", { name: "Create an API key" })).toHaveAttribute(
    "href",
    "/settings/api-keys",
  );
  await expect(page.getByText("No key activity yet")).toBeVisible();
  await expectAccessibleInBothThemes(page);
});

test("the dashboard fits a 360 px wide phone without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signInThroughUi(page, "alice@example.com", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { name: "Welcome, Alice Anders" })).toBeVisible();
  await expect(page.getByTestId("stat-error-rate")).toBeVisible();
  const { scrollWidth, wide } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    // What sticks out, to make a failure easy to trace.
    wide: [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > 361)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)}`),
  }));
  expect(scrollWidth, wide.join("\n")).toBeLessThanOrEqual(360);
});
