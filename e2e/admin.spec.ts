import { expect, test, type Browser, type Page } from "./fixtures";
import {
  DEMO_PASSWORD,
  expectAccessibleInBothThemes,
  signInThroughUi,
  signUpThroughUi,
  uniqueEmail,
} from "./helpers";

async function signInAsAdmin(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInThroughUi(page, "admin@example.com", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  return page;
}

/** Opens the users table narrowed to one email and returns that user's row. */
async function findUser(admin: Page, email: string) {
  await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
  // Visible rows only: right after a full page load, a second copy of the page's content
  // has been seen for a moment in a hidden element outside <main> (`div[hidden][id^="S:"]`,
  // where React streams a Suspense boundary's content before moving it into place), and a
  // strict locator that matched both copies failed at once instead of waiting.
  const row = admin
    .locator(`[data-testid="user-row"][data-email="${email}"]`)
    .filter({ visible: true });
  await expect(row).toBeVisible();
  return row;
}

test("a ban ends the user's session and shows its reason at sign-in; unbanning lets them back", async ({
  browser,
  page,
}) => {
  const email = uniqueEmail("gina");
  await signUpThroughUi(page, "Gina Banned", email);

  const admin = await signInAsAdmin(browser);
  let row = await findUser(admin, email);
  await row.getByRole("button", { name: "Actions for Gina Banned" }).click();
  await admin.getByRole("menuitem", { name: "Ban…" }).click();
  const dialog = admin.getByRole("dialog", { name: "Ban Gina Banned" });
  await dialog.getByRole("button", { name: "Ban user" }).click();
  await expect(dialog.getByText(/Give a reason/)).toBeVisible();
  await dialog.getByLabel("Reason").fill("Harassing other members");
  await dialog.getByRole("button", { name: "Ban user" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("Banned");
  await expect(row).toContainText("Harassing other members");

  // Gina's open session is gone: the next navigation asks her to sign in.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);
  await signInThroughUi(page, email);
  await expect(page.getByTestId("form-error")).toHaveText(
    "Your account has been suspended: Harassing other members",
  );

  row = await findUser(admin, email);
  await row.getByRole("button", { name: "Actions for Gina Banned" }).click();
  await admin.getByRole("menuitem", { name: "Unban" }).click();
  await admin.getByRole("alertdialog").getByRole("button", { name: "Unban" }).click();
  await expect(row).toContainText("Active");

  await signInThroughUi(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Welcome, Gina Banned" })).toBeVisible();
});

test("an admin impersonates a user and stops", async ({ browser, page }) => {
  const email = uniqueEmail("ivan");
  await signUpThroughUi(page, "Ivan Impersonated", email);

  const admin = await signInAsAdmin(browser);
  const row = await findUser(admin, email);
  await row.getByRole("button", { name: "Actions for Ivan Impersonated" }).click();
  await admin.getByRole("menuitem", { name: "Impersonate" }).click();

  await expect(admin).toHaveURL(/\/dashboard$/);
  const banner = admin.getByTestId("impersonation-banner");
  await expect(banner).toContainText("Ivan Impersonated");
  await expect(admin.getByRole("heading", { name: "Welcome, Ivan Impersonated" })).toBeVisible();
  // The admin area is out of reach while acting as a user.
  expect((await admin.goto("/admin"))?.status()).toBe(404);
  await admin.goto("/dashboard");

  await admin.getByRole("button", { name: "Stop impersonating" }).click();
  await expect(admin).toHaveURL(/\/admin\/users$/);
  await expect(admin.getByTestId("impersonation-banner")).toBeHidden();
  await expect(admin.getByRole("heading", { name: "Users" })).toBeVisible();
});

test("a non-admin gets 404 on the admin area", async ({ page }) => {
  await signUpThroughUi(page, "Nora Normal", uniqueEmail("nora"));
  await expect(page.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
  for (const path of ["/admin", "/admin/users"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
  }
});

test("a signed-out visitor is sent to sign-in from the admin area", async ({ page }) => {
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
});

test("the admin overview and users pages are accessible in both themes", async ({ browser }) => {
  const admin = await signInAsAdmin(browser);
  await admin.goto("/admin");
  await expect(admin.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(admin.getByTestId("stat-users")).toBeVisible();
  await expect(admin.getByRole("table", { name: /Messages per day/ })).toBeAttached();
  await expectAccessibleInBothThemes(admin);

  await admin
    .getByRole("navigation", { name: "Admin" })
    .getByRole("link", { name: "Users" })
    .click();
  await expect(admin).toHaveURL(/\/admin\/users$/);
  // Any row: the page lists the newest 20, and the other tests' sign-ups can push the seeded
  // users to the second page.
  await expect(admin.getByTestId("user-row").first()).toBeVisible();
  await admin.getByLabel("Role").selectOption("admin");
  await expect(admin).toHaveURL(/role=admin/);
  await expect(admin.getByTestId("user-row")).toHaveCount(1);
  await expectAccessibleInBothThemes(admin);
});
