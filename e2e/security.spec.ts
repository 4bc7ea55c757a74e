import { expect, test, type Page } from "./fixtures";
import {
  expectAccessibleInBothThemes,
  mailedLink,
  openDevMailbox,
  PASSWORD,
  signInThroughUi,
  signUpThroughUi,
  uniqueEmail,
} from "./helpers";

const NEW_PASSWORD = "changed-password-789";

async function openSecurity(page: Page): Promise<void> {
  await page.goto("/settings/security");
  await expect(page.getByRole("heading", { name: "Security", level: 1 })).toBeVisible();
}

const sessionRows = (page: Page) => page.getByTestId("session-row");

test("sign another device out, then change the password", async ({ browser }) => {
  const email = uniqueEmail("sam");
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const a = await laptop.newPage();
  const b = await phone.newPage();

  await signUpThroughUi(a, "Sam Secure", email);
  await signInThroughUi(b, email);
  await expect(b).toHaveURL(/\/dashboard$/);

  await openSecurity(a);
  await expect(sessionRows(a)).toHaveCount(2);
  await expect(sessionRows(a).filter({ hasText: "This device" })).toHaveCount(1);

  // Revoke the other session from the list.
  const other = sessionRows(a).filter({ hasNotText: "This device" });
  await other.getByRole("button", { name: /^Sign out / }).click();
  const dialog = a.getByRole("alertdialog", { name: "Sign out this device?" });
  await dialog.getByRole("button", { name: "Sign out device" }).click();
  await expect(dialog).toBeHidden();
  await expect(sessionRows(a)).toHaveCount(1);
  await expect(a.getByText("No other devices")).toBeVisible();

  // The phone is signed out on its next navigation.
  await b.goto("/settings/security");
  await expect(b).toHaveURL(/\/sign-in\?next=/);

  // The phone signs in again; the laptop changes the password and signs other devices out.
  await signInThroughUi(b, email);
  await expect(b).toHaveURL(/\/(dashboard|settings\/security)$/);
  await a.reload();
  await expect(sessionRows(a)).toHaveCount(2);

  await a.getByLabel("Current password").fill("not-my-password");
  await a.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await a.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await a.getByRole("button", { name: "Change password" }).click();
  await expect(a.getByText("Your current password is not right")).toBeVisible();

  await a.getByLabel("Current password").fill(PASSWORD);
  await expect(a.getByRole("checkbox", { name: "Sign out other devices" })).toBeChecked();
  await a.getByRole("button", { name: "Change password" }).click();
  await expect(a.getByText("Password changed. Your other devices are signed out.")).toBeVisible();
  await expect(sessionRows(a)).toHaveCount(1);
  await expect(a.getByLabel("Current password")).toHaveValue("");

  await b.goto("/settings/security");
  await expect(b).toHaveURL(/\/sign-in\?next=/);
  await signInThroughUi(b, email, NEW_PASSWORD);
  await expect(b).toHaveURL(/\/(dashboard|settings\/security)$/);

  // The laptop, which changed the password, is still signed in.
  await a.reload();
  await expect(sessionRows(a)).toHaveCount(2);

  await laptop.close();
  await phone.close();
});

test("confirm the email address from the dev mailbox", async ({ page, browser }) => {
  const email = uniqueEmail("vera");
  await signUpThroughUi(page, "Vera Verify", email);
  await openSecurity(page);
  await expect(page.getByText("Not verified")).toBeVisible();
  await expect(page.getByRole("button", { name: "Resend verification email" })).toBeVisible();

  const link = await mailedLink(browser, email, "Confirm your email address for Parley");
  expect(link).toMatch(/\/verify-email\?token=/);
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Email confirmed" })).toBeVisible();

  await openSecurity(page);
  // Visible elements only, for the reason given in admin.spec.ts (findUser).
  await expect(page.getByText("Verified", { exact: true }).filter({ visible: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Resend verification email" })).toHaveCount(0);

  // A broken link says so and offers a new one.
  await page.goto("/verify-email?token=not-a-token");
  await expect(page.getByRole("heading", { name: "This link is invalid" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send a new link" })).toBeVisible();
});

test("auth and mailbox pages are accessible in both themes", async ({ page, browser }) => {
  for (const path of [
    "/sign-in",
    "/sign-up",
    "/forgot-password",
    "/reset-password",
    "/reset-password?token=unchecked",
    "/verify-email",
  ]) {
    await page.goto(path);
    await expect(page.locator("h1")).toBeVisible();
    await expectAccessibleInBothThemes(page);
  }
  const mailbox = await openDevMailbox(browser);
  await expectAccessibleInBothThemes(mailbox);
  await mailbox.context().close();
});

test("the security page, with its sign-in methods, is accessible in both themes", async ({
  page,
}) => {
  const signUp = await page.request.post("/api/auth/sign-up/email", {
    data: { name: "Axel Axe", email: uniqueEmail("axel"), password: PASSWORD },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);
  await openSecurity(page);
  await expect(sessionRows(page)).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Add a passkey" })).toBeVisible();
  await expectAccessibleInBothThemes(page);
});

test("pages, error pages and API answers carry the security headers", async ({ page }) => {
  const pageResponse = await page.goto("/sign-in");
  const missing = await page.request.get("/no-such-page");
  const api = await page.request.get("/api/v1/me");
  expect(missing.status()).toBe(404);
  expect(api.status()).toBe(401);
  for (const response of [pageResponse!, missing, api]) {
    const headers = response.headers();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["cross-origin-resource-policy"]).toBe("same-origin");
  }
  for (const response of [pageResponse!, missing]) {
    expect(response.headers()["content-security-policy"]).toMatch(/script-src 'nonce-[^']+'/);
    expect(response.headers()["cross-origin-opener-policy"]).toBe("same-origin");
  }
  expect(api.headers()["cache-control"]).toBe("no-store");

  // The page itself is Parley's, with the way back, and passes the accessibility checks.
  const shown = await page.goto("/no-such-page");
  expect(shown?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to your chats" })).toHaveAttribute(
    "href",
    "/chat",
  );
  await expectAccessibleInBothThemes(page);
});
