import { expect, test, type Browser } from "./fixtures";
import {
  openDevMailbox,
  PASSWORD,
  signedInAdminPage,
  signInThroughUi,
  uniqueEmail,
} from "./helpers";

/**
 * Waits for a mail with this subject to this address. Notices go out after their change
 * commits, so the mailbox is read again until the mail is there.
 */
async function expectMail(browser: Browser, to: string, subject: string): Promise<void> {
  const mailbox = await openDevMailbox(browser);
  try {
    const rows = mailbox
      .getByRole("row")
      .filter({ hasText: to })
      .filter({ has: mailbox.getByRole("link", { name: subject, exact: true }) });
    await expect(async () => {
      await mailbox.reload();
      await expect(rows.first()).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  } finally {
    await mailbox.context().close();
  }
}

test("delete my account: signed out at once, and signing in again calls it off", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("dora");
  const signUp = await page.request.post("/api/auth/sign-up/email", {
    data: { name: "Dora Delete", email, password: PASSWORD },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);

  await page.goto("/settings/data");
  await expect(page.getByRole("heading", { name: "Delete my account" })).toBeVisible();
  const messages = page.getByRole("group", { name: "Your messages" });
  await expect(
    messages.getByRole("radio", { name: "Keep my messages, without my name" }),
  ).toBeChecked();
  await messages.getByRole("radio", { name: "Blank my messages" }).check();

  await page.getByRole("button", { name: "Delete my account…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete your account?" });
  await expect(dialog).toContainText("Your messages will show as deleted.");
  const submit = dialog.getByRole("button", { name: "Delete my account", exact: true });
  await dialog.getByLabel("Your password").fill("not-my-password");
  await submit.click();
  await expect(dialog.getByRole("alert")).toHaveText("Your password is not right");

  await dialog.getByLabel("Your password").fill(PASSWORD);
  await submit.click();
  await expect(page).toHaveURL(/\/account-deleted\?at=/);
  await expect(
    page.getByRole("heading", { level: 1, name: "Your account will be deleted" }),
  ).toBeVisible();
  await expect(page.getByText("Until then, signing in cancels the deletion.")).toBeVisible();

  // Signed out: the app asks them to sign in.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);
  await expectMail(browser, email, "Parley: your account will be deleted");

  await signInThroughUi(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expectMail(browser, email, "Parley: your account will not be deleted");

  // Nothing was erased: the account is whole, and could be deleted again.
  await page.goto("/settings/data");
  await expect(page.getByRole("heading", { name: "Delete my account" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete my account…" })).toBeVisible();
});

test("an admin asks for a user's deletion and cancels it", async ({ page, browser }) => {
  const email = uniqueEmail("abe");
  const signUp = await page.request.post("/api/auth/sign-up/email", {
    data: { name: "Abe Admined", email, password: PASSWORD },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);

  const admin = await signedInAdminPage(browser);
  try {
    await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
    const row = admin
      .locator(`[data-testid="user-row"][data-email="${email}"]`)
      .filter({ visible: true });
    await expect(row).toContainText("Active");

    await row.getByRole("button", { name: "Actions for Abe Admined" }).click();
    await admin.getByRole("menuitem", { name: "Delete user…" }).click();
    const confirm = admin.getByRole("alertdialog", { name: "Delete Abe Admined?" });
    const remove = confirm.getByRole("button", { name: "Delete user" });
    await confirm.getByRole("radio", { name: "Blank their messages" }).check();
    await expect(remove).toBeDisabled();
    await confirm.getByLabel(/to confirm/).fill(email);
    await remove.click();
    await expect(confirm).toBeHidden();
    await expect(row).toContainText("Deletion pending");

    // Asking signs them out everywhere.
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);

    await row.getByRole("button", { name: "Actions for Abe Admined" }).click();
    await expect(admin.getByRole("menuitem", { name: "Delete user…" })).toHaveCount(0);
    await admin.getByRole("menuitem", { name: "Cancel deletion" }).click();
    await admin.getByRole("alertdialog").getByRole("button", { name: "Cancel deletion" }).click();
    await expect(row).not.toContainText("Deletion pending");
    await expect(row).toContainText("Active");
  } finally {
    await admin.context().close();
  }
});
