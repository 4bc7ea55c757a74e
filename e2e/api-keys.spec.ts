import fs from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "./fixtures";
import {
  DEMO_PASSWORD,
  expectAccessibleInBothThemes,
  signInThroughUi,
  signUpThroughUi,
  uniqueEmail,
  applyTheme,
} from "./helpers";

const CSV_HEADER =
  "createdAt,method,endpoint,statusCode,requestCount,responseTime,apiKeyId,userId,actorId,ipAddress,userAgent";

async function createKeyThroughUi(page: Page, name: string, scope: string): Promise<string> {
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create an API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("checkbox", { name: scope }).check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: "Your new API key" });
  const secret = await reveal.getByLabel("Your new API key").inputValue();
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
  return secret;
}

const callMe = (request: APIRequestContext, secret: string) =>
  request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });

/** axe in both themes with something opened first (a reload closes it). */
async function expectAccessibleWith(page: Page, open: () => Promise<void>): Promise<void> {
  for (const theme of ["light", "dark"] as const) {
    await applyTheme(page, theme);
    await open();
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const blocking = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ rule: v.id, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
    expect(blocking, `${theme} theme with a dialog open`).toEqual([]);
  }
}

test("create form validates with the server's rules, before anything is created", async ({
  page,
}) => {
  await signUpThroughUi(page, "Vera Validate", uniqueEmail("vera"));
  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create an API key" });
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Name is required")).toBeVisible();
  await expect(dialog.getByText("Choose at least one scope")).toBeVisible();

  await dialog.getByLabel("Name").fill("dated");
  await dialog.getByRole("checkbox", { name: "chats:read" }).check();
  await dialog.getByLabel("Expires").selectOption({ label: "On a date…" });
  await dialog.getByLabel("Expiry date").fill("2020-01-01");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("The expiry date must be in the future")).toBeVisible();

  const nextYear = new Date().getFullYear() + 1;
  await dialog.getByLabel("Expiry date").fill(`${nextYear}-06-30`);
  await dialog.getByRole("button", { name: "Create key" }).click();
  // Escape before the key was copied asks first; a second Escape closes.
  const reveal = page.getByRole("dialog", { name: "Your new API key" });
  await expect(reveal.getByLabel("Your new API key")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(reveal.getByRole("alert")).toContainText("You have not copied this key");
  await reveal.getByRole("button", { name: "Keep it open" }).click();
  await expect(reveal.getByRole("alert")).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(reveal.getByRole("button", { name: "Close without copying" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(reveal).toBeHidden();
  const row = page.getByTestId("api-key-row").filter({ hasText: "dated" });
  await expect(row.getByTestId("api-key-expires").locator("time")).toHaveAttribute(
    "datetime",
    new RegExp(`^${nextYear}-0[67]-`),
  );
  await expect(row).toContainText("Active");
});

test("rotate with a grace period: both keys work, the old one shows when it stops", async ({
  page,
  request,
}) => {
  await signUpThroughUi(page, "Rosa Rotate", uniqueEmail("rosa"));
  await page.goto("/settings/api-keys");
  const oldSecret = await createKeyThroughUi(page, "deploy", "profile:read");

  await page.getByRole("button", { name: "Rotate deploy" }).click();
  const dialog = page.getByRole("dialog", { name: "Rotate “deploy”" });
  await dialog.getByLabel("Grace period (hours)").fill("999");
  await dialog.getByRole("button", { name: "Rotate key" }).click();
  await expect(dialog.getByText("At most 168 hours (7 days)", { exact: true })).toBeVisible();
  await dialog.getByLabel("Grace period (hours)").fill("2");
  await dialog.getByRole("button", { name: "Rotate key" }).click();

  const done = page.getByRole("dialog", { name: "Key rotated" });
  await expect(done.getByText(/keeps working until/)).toBeVisible();
  const newSecret = await done.getByLabel("Your new API key").inputValue();
  expect(newSecret).not.toBe(oldSecret);
  await done.getByRole("button", { name: "Done" }).click();

  const rows = page.getByTestId("api-key-row").filter({ hasText: "deploy" });
  await expect(rows).toHaveCount(2);
  const oldRow = rows.filter({ hasText: `prl_${oldSecret.slice(4, 12)}…` });
  await expect(oldRow).toContainText("Expiring");
  await expect(oldRow).toContainText(/in 2 hours|in 120 minutes/);
  await expect(rows.filter({ hasText: `prl_${newSecret.slice(4, 12)}…` })).toContainText("Active");

  expect((await callMe(request, oldSecret)).status()).toBe(200);
  expect((await callMe(request, newSecret)).status()).toBe(200);
  expect((await callMe(request, newSecret)).status()).toBe(200);

  // The usage view: requests per day and latency, once the audit rows are written.
  const newRow = rows.filter({ hasText: `prl_${newSecret.slice(4, 12)}…` });
  await expect(async () => {
    await page.reload();
    await newRow.getByRole("button", { name: "Usage of deploy" }).click();
    const usage = page.getByRole("dialog", { name: "Usage of “deploy”" });
    await expect(usage.getByRole("heading", { name: "Requests per day" })).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: 20_000 });
  const usage = page.getByRole("dialog", { name: "Usage of “deploy”" });
  await expect(usage.getByRole("heading", { name: "p95 latency per day" })).toBeVisible();
  await expect(usage.locator("dt", { hasText: "Requests" }).locator("+ dd")).toHaveText("2");
  await expect(usage.locator("table caption", { hasText: "Requests per day" })).toBeAttached();
});

test("the usage dialog opens on its numbers: they are asked for as the pointer reaches its button", async ({
  page,
}) => {
  await signUpThroughUi(page, "Uma Usage", uniqueEmail("uma"));
  await page.goto("/settings/api-keys");
  await createKeyThroughUi(page, "metrics", "profile:read");
  const button = page.getByRole("button", { name: "Usage of metrics" });
  const asked = page.waitForResponse((response) => response.url().includes("apiKeys.usage"));
  await button.hover();
  expect((await asked).ok()).toBe(true);

  // From here on, any skeleton the dialog shows is noted.
  await page.evaluate(() => {
    const seen = { skeleton: false };
    Object.defineProperty(window, "__usageSkeleton", { value: seen });
    new MutationObserver(() => {
      if (document.querySelector("[role=dialog] [aria-busy=true]")) seen.skeleton = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  await button.click();
  const dialog = page.getByRole("dialog", { name: "Usage of “metrics”" });
  await expect(dialog.getByText("No requests with this key in the last 30 days.")).toBeVisible();
  await expect(dialog.locator("dt", { hasText: "Requests" }).locator("+ dd")).toHaveText("0");
  expect(
    await page.evaluate(
      () => (window as unknown as { __usageSkeleton: { skeleton: boolean } }).__usageSkeleton,
    ),
  ).toEqual({ skeleton: false });
});

test("audit log filters live in the URL and the CSV export downloads them", async ({
  page,
  request,
}) => {
  await signUpThroughUi(page, "Fred Filter", uniqueEmail("fred"));
  await page.goto("/settings/api-keys");
  const secret = await createKeyThroughUi(page, "filtered", "profile:read");
  expect((await callMe(request, secret)).status()).toBe(200);
  expect(
    (
      await request.get("/api/v1/chats", { headers: { authorization: `Bearer ${secret}` } })
    ).status(),
  ).toBe(403);

  await page.goto("/settings/audit");
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("audit-row").filter({ hasText: "/api/v1/chats" })).toHaveCount(
      1,
      { timeout: 1_000 },
    );
  }).toPass({ timeout: 15_000 });

  await page.getByLabel("Status").selectOption("4xx");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/\/settings\/audit\?status=4xx$/);
  await expect(page.getByTestId("audit-row")).toHaveCount(1);
  await expect(page.getByTestId("audit-row")).toContainText("403");

  await page.getByLabel("Endpoint contains").fill("/nothing-here");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByText("No requests match these filters")).toBeVisible();
  // Back steps through the filters, and the fields follow.
  await page.goBack();
  await expect(page).toHaveURL(/\?status=4xx$/);
  await expect(page.getByTestId("audit-row")).toHaveCount(1);
  await expect(page.getByLabel("Endpoint contains")).toHaveValue("");

  // A shared link opens with its filters applied.
  await page.goto("/settings/audit?method=GET&endpoint=%2Fapi%2Fv1%2Fme");
  await expect(page.getByLabel("Method")).toHaveValue("GET");
  await expect(page.getByTestId("audit-row")).toHaveCount(1);
  await page
    .getByTestId("audit-row")
    .getByRole("button", { name: /Details/ })
    .click();
  await expect(page.getByRole("dialog", { name: "GET /api/v1/me" })).toContainText("filtered");
  await page.keyboard.press("Escape");

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^parley-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await fs.readFile(await download.path(), "utf8")).trim().split("\n");
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("/api/v1/me");
});

test("an admin finds another user's key, revokes it, and exports the whole log", async ({
  browser,
  page,
  request,
}) => {
  const email = uniqueEmail("olga");
  await signUpThroughUi(page, "Olga Owner", email);
  await page.goto("/settings/api-keys");
  const secret = await createKeyThroughUi(page, "olga-bot", "profile:read");
  expect((await callMe(request, secret)).status()).toBe(200);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInThroughUi(admin, "admin@example.com", DEMO_PASSWORD);
  await expect(admin).toHaveURL(/\/dashboard$/);
  await admin.goto("/admin/api-keys");
  await admin.getByLabel("Search").fill(email);
  await admin.getByRole("button", { name: "Search" }).click();
  await expect(admin).toHaveURL(/\/admin\/api-keys\?q=/);
  const row = admin.getByTestId("api-key-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Olga Owner");
  await expect(row).toContainText(email);
  await row.getByRole("button", { name: "Revoke olga-bot" }).click();
  const confirm = admin.getByRole("alertdialog");
  await expect(confirm).toContainText("Olga Owner's key");
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(admin.getByText("Olga Owner's key “olga-bot” revoked")).toBeVisible();
  await expect(row).toContainText("Revoked");
  expect((await callMe(request, secret)).status()).toBe(401);

  // The owner sees it in their own list. Visible elements only, here and below, for the
  // reason given in admin.spec.ts (findUser).
  await page.reload();
  await expect(
    page.getByTestId("api-key-row").filter({ hasText: "olga-bot", visible: true }),
  ).toContainText("Revoked");

  // The global log, narrowed to Olga, with her requests and the admin's revocation.
  await admin.goto(`/admin/audit?user=${encodeURIComponent(email)}`);
  await expect(admin.getByLabel("User").filter({ visible: true })).toHaveValue(email);
  await expect(async () => {
    await admin.reload();
    await expect(admin.getByTestId("audit-row").filter({ hasText: "api_key.revoked" })).toHaveCount(
      1,
      { timeout: 1_000 },
    );
  }).toPass({ timeout: 15_000 });
  await expect(
    admin.getByTestId("audit-row").filter({ hasText: "/api/v1/me" }).first(),
  ).toContainText("Olga Owner");
  const downloading = admin.waitForEvent("download");
  await admin.getByRole("link", { name: "Export CSV" }).click();
  const lines = (await fs.readFile(await (await downloading).path(), "utf8")).trim().split("\n");
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines.length).toBeGreaterThan(2);
  expect(lines.slice(1).some((l) => l.includes("/api/v1/me"))).toBe(true);
  await adminContext.close();
});

test("API key and audit screens are accessible in both themes", async ({ page, browser }) => {
  // Ten axe sweeps over six screens, two of them as a second user: 45 s on a quiet machine.
  test.slow();
  await signUpThroughUi(page, "Ada Access", uniqueEmail("ada"));
  await page.goto("/settings/api-keys");
  await expectAccessibleInBothThemes(page);
  await createKeyThroughUi(page, "a11y", "profile:read");
  await expectAccessibleInBothThemes(page);
  await expectAccessibleWith(page, async () => {
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByRole("dialog", { name: "Create an API key" })).toBeVisible();
  });
  await expectAccessibleWith(page, async () => {
    await page.getByRole("button", { name: "Usage of a11y" }).click();
    await expect(page.getByRole("dialog", { name: "Usage of “a11y”" })).toBeVisible();
    await expect(page.getByText("Loading usage…")).toBeHidden();
  });
  await page.goto("/settings/audit");
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
  await expectAccessibleInBothThemes(page);
  await page.goto("/settings/audit?endpoint=nothing-matches");
  // The visible copy: a full page load can show a hidden, streamed second copy for a moment.
  await expect(
    page.getByText("No requests match these filters").filter({ visible: true }),
  ).toBeVisible();
  await expectAccessibleInBothThemes(page);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInThroughUi(admin, "admin@example.com", DEMO_PASSWORD);
  await expect(admin).toHaveURL(/\/dashboard$/);
  await admin.goto("/admin/api-keys");
  await expect(admin.getByTestId("api-key-row").first()).toBeVisible();
  await expectAccessibleInBothThemes(admin);
  await admin.goto("/admin/audit");
  await expect(admin.getByTestId("audit-row").first()).toBeVisible();
  await expectAccessibleInBothThemes(admin);
  await adminContext.close();
});

test("someone who is not an admin gets 404 on the admin key and audit pages", async ({ page }) => {
  await signUpThroughUi(page, "Nina Nobody", uniqueEmail("nina"));
  for (const path of ["/admin/api-keys", "/admin/audit"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
  }
  const csv = await page.request.get("/api/audit/export?all=1");
  expect(csv.status()).toBe(403);
});

/** Whether a table's frame shows all of it, with nothing to scroll sideways to. */
async function expectWholeTableInView(page: Page, label: string) {
  const frame = page.getByRole("region", { name: label });
  await expect(frame.getByRole("row").nth(1)).toBeVisible();
  const { scrollWidth, clientWidth } = await frame.evaluate((el) => ({
    scrollWidth: el.scrollWidth,
    clientWidth: el.clientWidth,
  }));
  expect(scrollWidth, `${label} on ${page.url()}`).toBeLessThanOrEqual(clientWidth);
}

test("on a 1280 px screen the key and audit tables fit beside the sidebar", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const signIn = await context.request.post("/api/auth/sign-in/email", {
    data: { email: "admin@example.com", password: DEMO_PASSWORD },
  });
  expect(signIn.ok()).toBe(true);
  await page.goto("/settings/api-keys");
  // A long name and every scope: the widest a row gets.
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create an API key" });
  await dialog.getByLabel("Name").fill("Nightly deploy bot for the staging cluster");
  for (const scope of await dialog.getByRole("checkbox").all()) await scope.check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: "Your new API key" });
  const secret = await reveal.getByLabel("Your new API key").inputValue();
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
  expect((await callMe(context.request, secret)).status()).toBe(200);
  await context.request.get("/api/v1/chats/00000000-0000-4000-8000-000000000000/messages", {
    headers: { authorization: `Bearer ${secret}` },
  });

  await page.goto("/settings/api-keys");
  await expect(page.getByRole("list", { name: "Scopes" }).first()).toHaveText("All scopes");
  await expectWholeTableInView(page, "API keys");
  for (const path of ["/settings/audit", "/admin/audit"]) {
    await page.goto(path);
    await expectWholeTableInView(page, "Audit log");
  }
  await page.goto("/admin/api-keys");
  await expectWholeTableInView(page, "API keys");
  await context.close();
});
