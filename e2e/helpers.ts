import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";

export const PASSWORD = "e2e-password-123";
export const DEMO_PASSWORD = "parley-demo";

export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;
}

export async function signUpThroughUi(
  page: Page,
  name: string,
  email: string,
  password = PASSWORD,
): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Signs in from /sign-in (opening it first) and waits for the dashboard. */
export async function signInThroughUi(
  page: Page,
  email: string,
  password = PASSWORD,
): Promise<void> {
  if (!new URL(page.url(), "http://x").pathname.startsWith("/sign-in")) {
    await page.goto("/sign-in");
  }
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Opens the account menu. Sign-up and sign-in end in a full page load, and a click before
 * React hydrates the menu opens nothing: the click is repeated until the menu is open.
 */
export async function openAccountMenu(page: Page): Promise<void> {
  await expect(async () => {
    await page.getByRole("button", { name: /^Account menu/ }).click();
    await expect(page.getByRole("menu")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

export async function signOutThroughUi(page: Page): Promise<void> {
  await openAccountMenu(page);
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

/** Puts the page in a theme the way the theme switch does, and waits for it to apply. */
export async function applyTheme(page: Page, theme: "light" | "dark"): Promise<void> {
  await page.evaluate((value) => localStorage.setItem("theme", value), theme);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${theme}\\b`));
}

/**
 * axe-core on the current page in the light and the dark theme: no serious or critical
 * WCAG 2.1 A/AA violation. The failure message lists each rule and the offending nodes.
 */
export async function expectAccessibleInBothThemes(page: Page): Promise<void> {
  for (const theme of ["light", "dark"] as const) {
    await applyTheme(page, theme);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const blocking = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        rule: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
      }));
    expect(blocking, `${theme} theme: ${new URL(page.url()).pathname}`).toEqual([]);
  }
}

/**
 * A page of the demo site admin in a browser context of its own, signed in over HTTP. Close it
 * with `page.context().close()`.
 */
export async function signedInAdminPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const admin = await context.newPage();
  await admin.goto("/sign-in");
  const signIn = await context.request.post("/api/auth/sign-in/email", {
    data: { email: "admin@example.com", password: DEMO_PASSWORD },
    headers: { origin: new URL(admin.url()).origin },
  });
  expect(signIn.ok(), await signIn.text()).toBe(true);
  return admin;
}

/**
 * The dev mailbox, as a site admin reads it outside development: in a browser context of its
 * own, signed in over HTTP. Close it with `mailbox.context().close()`.
 */
export async function openDevMailbox(browser: Browser): Promise<Page> {
  const mailbox = await signedInAdminPage(browser);
  await mailbox.goto("/dev/mailbox");
  await expect(mailbox.getByRole("heading", { name: "Dev mailbox" })).toBeVisible();
  return mailbox;
}

/** The link in the newest mail with this subject to this address. */
export async function mailedLink(browser: Browser, to: string, subject: string): Promise<string> {
  const mailbox = await openDevMailbox(browser);
  try {
    const row = mailbox
      .getByRole("row")
      .filter({ hasText: to })
      .filter({ hasText: subject })
      .first();
    await row.getByRole("link", { name: subject }).click();
    await expect(mailbox.getByRole("heading", { name: subject })).toBeVisible();
    const link = mailbox.getByRole("link", { name: /^http:\/\/localhost:\d+\// });
    const href = await link.getAttribute("href");
    expect(href).toBeTruthy();
    return href ?? "";
  } finally {
    await mailbox.context().close();
  }
}
