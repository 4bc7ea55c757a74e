import { expect, test } from "./fixtures";
import { expectAccessibleInBothThemes, PASSWORD, signOutThroughUi, uniqueEmail } from "./helpers";

test("add a passkey, rename it, sign in with it, then remove it", async ({ page, context }) => {
  // Chromium's virtual authenticator answers WebAuthn for this page as a platform
  // authenticator would (fingerprint or PIN given at once), with no prompt to click.
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  const signUp = await context.request.post("/api/auth/sign-up/email", {
    data: { name: "Pia Passkey", email: uniqueEmail("pia"), password: PASSWORD },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);

  await page.goto("/settings/security");
  await expect(page.getByRole("heading", { name: "Security", level: 1 })).toBeVisible();
  await expect(page.getByText("No passkeys yet")).toBeVisible();

  await page.getByRole("button", { name: "Add a passkey" }).click();
  const add = page.getByRole("dialog", { name: "Add a passkey" });
  await add.getByLabel("Passkey name").fill("Test laptop");
  await add.getByRole("button", { name: "Continue" }).click();
  await expect(add).toBeHidden();
  const rows = page.getByTestId("passkey-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Test laptop");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);

  await rows.first().getByRole("button", { name: "Rename Test laptop" }).click();
  const rename = page.getByRole("dialog", { name: "Rename passkey" });
  await expect(rename.getByLabel("Passkey name")).toHaveValue("Test laptop");
  await rename.getByLabel("Passkey name").fill("Work laptop");
  await rename.getByRole("button", { name: "Save name" }).click();
  await expect(rename).toBeHidden();
  await expect(rows.first()).toContainText("Work laptop");
  await expectAccessibleInBothThemes(page);

  // Signed out, the passkey alone signs back in: no email, no password.
  await signOutThroughUi(page);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto("/settings/security");
  await rows.first().getByRole("button", { name: "Remove Work laptop" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Remove this passkey?" });
  await confirm.getByRole("button", { name: "Remove passkey" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("No passkeys yet")).toBeVisible();

  await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
  await cdp.detach();
});
