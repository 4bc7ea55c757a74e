import { expect, test, type Page } from "./fixtures";
import { openAccountMenu, signUpThroughUi, uniqueEmail } from "./helpers";

/** Creates a key through the dialog and returns the secret it shows once. */
async function createKeyThroughUi(page: Page, name: string, scope: string): Promise<string> {
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create an API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("checkbox", { name: scope }).check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: "Your new API key" });
  await expect(reveal.getByText("It will not be shown again")).toBeVisible();
  const secret = await reveal.getByLabel("Your new API key").inputValue();
  expect(secret).toMatch(/^prl_[0-9A-Za-z]{8}_[0-9A-Za-z]{40}$/);
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
  return secret;
}

test("sign up, dark theme that persists, an API key used from outside, seen in the audit log, then revoked", async ({
  page,
  request,
}) => {
  const name = "Jules Journey";
  await signUpThroughUi(page, name, uniqueEmail("jules"));

  // The theme, chosen in the account menu, is saved to the account and survives a reload.
  await openAccountMenu(page);
  await expect(page.getByRole("menu")).toContainText(name);
  const saved = page.waitForResponse(
    (response) => response.url().includes("preferences.update") && response.ok(),
  );
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await saved;
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  // Not only this browser's memory: with it cleared, the saved preference applies again.
  await page.evaluate(() => localStorage.removeItem("theme"));
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);

  await page.goto("/settings/api-keys");
  await expect(page.getByText("No API keys yet")).toBeVisible();
  const secret = await createKeyThroughUi(page, "journey-cli", "profile:read");
  const row = page.getByTestId("api-key-row").filter({ hasText: "journey-cli" });
  await expect(row).toContainText(`prl_${secret.slice(4, 12)}…`);
  await expect(row.getByTestId("api-key-last-used")).toHaveText("Never");

  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect(((await me.json()) as { name: string }).name).toBe(name);

  // Last used is stamped and the request is audited just after the response: reload until seen.
  await expect(async () => {
    await page.reload();
    await expect(row.getByTestId("api-key-last-used")).not.toHaveText("Never", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });

  await page
    .getByRole("navigation", { name: "Settings" })
    .getByRole("link", { name: "Audit log" })
    .click();
  await expect(page).toHaveURL(/\/settings\/audit$/);
  const auditRow = page.getByTestId("audit-row").filter({ hasText: "/api/v1/me" });
  await expect(async () => {
    await page.reload();
    await expect(auditRow).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  // One row, checked once; a refetch may render the table again while this looks.
  const seen = auditRow.first();
  await expect(seen).toContainText("GET");
  await expect(seen).toContainText("200");
  await expect(seen).toContainText("journey-cli");

  await page.goto("/settings/api-keys");
  await row.getByRole("button", { name: "Revoke journey-cli" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText("Key “journey-cli” revoked")).toBeVisible();
  await expect(row.getByText("Revoked")).toBeVisible();

  const refused = await request.get("/api/v1/me", {
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(refused.status()).toBe(401);
});
