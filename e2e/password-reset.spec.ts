import { expect, test } from "./fixtures";
import {
  mailedLink,
  openDevMailbox,
  signInThroughUi,
  signOutThroughUi,
  signUpThroughUi,
  uniqueEmail,
} from "./helpers";

const NEW_PASSWORD = "a-fresh-password-456";

test("reset a forgotten password through the dev mailbox", async ({ page, browser }) => {
  const email = uniqueEmail("rita");
  await signUpThroughUi(page, "Rita Reset", email);
  await signOutThroughUi(page);

  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expect(page.getByText(/If an account exists for/)).toContainText(email);

  const href = await mailedLink(browser, email, "Reset your Parley password");
  expect(href).toContain("/api/auth/reset-password/");
  await page.goto(href);
  await expect(page).toHaveURL(/\/reset-password\?token=/);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();

  // The browser checks the form with the server's rules before anything is sent.
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByLabel("Confirm new password").fill("different");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await expect(page.getByText("The passwords do not match")).toBeVisible();

  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("heading", { name: "Password changed" })).toBeVisible();
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  // The old password no longer works; the new one does.
  await signInThroughUi(page, email);
  await expect(page.getByTestId("form-error")).toHaveText("Invalid email or password");
  await expect(page).toHaveURL(/\/sign-in$/);
  await signInThroughUi(page, email, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);

  // A reset link works once.
  await page.goto(href);
  await expect(page).toHaveURL(/\/reset-password\?error=INVALID_TOKEN$/);
  await expect(
    page.getByRole("heading", { name: "This link is invalid or has expired" }),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: "Send a new link" })).toHaveAttribute(
    "href",
    "/forgot-password",
  );
});

test("an unknown address gets the same answer and no mail", async ({ page, browser }) => {
  const email = uniqueEmail("nobody");
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const mailbox = await openDevMailbox(browser);
  await expect(mailbox.getByRole("row").filter({ hasText: email })).toHaveCount(0);
  await mailbox.context().close();
});

test("the dev mailbox is for site admins outside development", async ({ page }) => {
  await page.goto("/dev/mailbox");
  await expect(page.getByRole("heading", { name: "Dev mailbox" })).toHaveCount(0);
  const response = await page.request.get("/dev/mailbox");
  expect(response.status()).toBe(404);
  await signUpThroughUi(page, "Mo Mailbox", uniqueEmail("mo"));
  expect((await page.request.get("/dev/mailbox")).status()).toBe(404);
});
