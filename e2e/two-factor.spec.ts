import { base32 } from "@better-auth/utils/base32";
import { createOTP } from "@better-auth/utils/otp";
import { expect, test, type Page } from "./fixtures";
import {
  expectAccessibleInBothThemes,
  PASSWORD,
  signInThroughUi,
  signOutThroughUi,
  uniqueEmail,
} from "./helpers";

/**
 * What an authenticator app shows for the key Parley printed next to the QR code, `ahead`
 * steps of 30 seconds from now: a code is spent once used, so a second sign-in takes the
 * next one (accepted as clock drift) instead of waiting for it.
 */
function codeFor(printedKey: string, ahead = 0): Promise<string> {
  const secret = new TextDecoder().decode(base32.decode(printedKey.replace(/\s+/g, "")));
  return createOTP(secret).hotp(Math.floor(Date.now() / 30_000) + ahead);
}

async function enterCode(page: Page, code: string, trust: boolean): Promise<void> {
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await page.getByLabel("Authentication code").fill(code);
  if (trust) await page.getByLabel(/Trust this browser/).check();
  await page.getByRole("button", { name: "Verify" }).click();
}

test("two-factor: enrol with an authenticator app, then sign in with a code, a trusted browser and a backup code", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("tfa");
  const signUp = await page.request.post("/api/auth/sign-up/email", {
    data: { name: "Tova Factor", email, password: PASSWORD },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);

  // Enrolment: password, QR code (and its key), one code, then the backup codes.
  await page.goto("/settings/security");
  await page.getByRole("button", { name: "Turn on", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Turn on two-factor authentication" });
  await dialog.getByLabel("Password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Continue" }).click();
  await expect(dialog.getByRole("img", { name: /QR code/ })).toBeVisible();
  const key = (await dialog.getByTestId("totp-key").textContent()) ?? "";
  await dialog.getByLabel("Code from the app").fill("000000");
  await dialog.getByRole("button", { name: "Turn on" }).click();
  await expect(dialog.getByText(/That code is not right/)).toBeVisible();
  await dialog.getByLabel("Code from the app").fill(await codeFor(key));
  await dialog.getByRole("button", { name: "Turn on" }).click();
  const codes = dialog.getByRole("list", { name: "Backup codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const backupCode = (await codes.first().textContent()) ?? "";
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("button", { name: "Turn off" })).toBeVisible();

  // Signing in now asks for a code after the password.
  await signOutThroughUi(page);
  await signInThroughUi(page, email);
  await expect(page).toHaveURL(/\/sign-in\/two-factor/);
  await expectAccessibleInBothThemes(page);
  await enterCode(page, "123456", false);
  await expect(page.getByText("That code is not right. Try again.")).toBeVisible();
  await enterCode(page, await codeFor(key, 1), true);
  await expect(page).toHaveURL(/\/dashboard$/);

  // This browser is trusted: the password alone is enough here.
  await signOutThroughUi(page);
  await signInThroughUi(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);

  // Another browser is not, and a backup code opens it once.
  const other = await browser.newContext();
  const elsewhere = await other.newPage();
  await signInThroughUi(elsewhere, email);
  await expect(elsewhere).toHaveURL(/\/sign-in\/two-factor/);
  await elsewhere.getByRole("button", { name: "Use a backup code instead" }).click();
  await elsewhere.getByLabel("Backup code").fill(backupCode);
  await elsewhere.getByRole("button", { name: "Verify" }).click();
  await expect(elsewhere).toHaveURL(/\/dashboard$/);
  await other.close();
});
