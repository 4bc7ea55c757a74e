import { expect, test } from "./fixtures";
import { mailedLink, PASSWORD, signInThroughUi, signOutThroughUi, uniqueEmail } from "./helpers";

test("change the email address through the link mailed to the new one", async ({
  page,
  browser,
}) => {
  const oldEmail = uniqueEmail("ed");
  const newEmail = uniqueEmail("ed-new");
  const signUp = await page.request.post("/api/auth/sign-up/email", {
    data: { name: "Ed Change", email: oldEmail, password: PASSWORD },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);

  await page.goto("/settings/security");
  const form = page.getByRole("form", { name: "Change email address" });
  await form.getByLabel("New email address").fill(newEmail);
  await form.getByLabel("Your password").fill(PASSWORD);
  await form.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: `Check ${newEmail} for a link` }),
  ).toBeVisible();

  // The old address is told at once, and still signs in until the link is opened.
  const notice = await mailedLink(browser, oldEmail, "Your Parley email address is being changed");
  expect(notice).toContain("/settings/security");

  const href = await mailedLink(browser, newEmail, "Confirm your new email address for Parley");
  expect(href).toContain("/verify-email?token=");
  await page.goto(href);
  await expect(page.getByRole("heading", { name: "Email address changed" })).toBeVisible();
  await expect(page.getByText(`Your email address is now ${newEmail}`)).toBeVisible();

  await page.goto("/settings/security");
  await expect(page.getByText(newEmail, { exact: true }).first()).toBeVisible();
  await expect(page.getByText(oldEmail)).toHaveCount(0);

  await signOutThroughUi(page);
  await signInThroughUi(page, newEmail);
  await expect(page).toHaveURL(/\/dashboard$/);
});
