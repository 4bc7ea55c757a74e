import { expect, test, type Page } from "./fixtures";
import sharp from "sharp";
import {
  expectAccessibleInBothThemes,
  signInThroughUi,
  signOutThroughUi,
  signUpThroughUi,
  uniqueEmail,
} from "./helpers";

async function openPreferences(page: Page): Promise<void> {
  await page.goto("/settings/preferences");
  await expect(page.getByRole("heading", { level: 1, name: "Preferences" })).toBeVisible();
}

test("profile and preferences pages are accessible in both themes", async ({ page }) => {
  await signUpThroughUi(page, "Axel Axe", uniqueEmail("axel"));
  await page.goto("/settings/profile");
  await expect(page.getByRole("heading", { level: 1, name: "Profile" })).toBeVisible();
  await expect(page.getByText("Not verified")).toBeVisible();
  // A new account has shared nothing yet, of its whole quota.
  await expect(page.getByTestId("storage-figure").first()).toHaveText("0 B of 1 GB");
  await expectAccessibleInBothThemes(page);
  await openPreferences(page);
  await expectAccessibleInBothThemes(page);
});

test("the theme is saved to the account and follows the user", async ({ page, browser }) => {
  const email = uniqueEmail("theo");
  await signUpThroughUi(page, "Theo Theme", email);
  await openPreferences(page);
  await page.getByLabel("Theme", { exact: true }).selectOption("dark");
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await expect(page.getByText("Theme set to dark")).toBeVisible();

  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await expect(page.getByLabel("Theme", { exact: true })).toHaveValue("dark");

  await signOutThroughUi(page);
  await signInThroughUi(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);

  // A fresh browser (nothing in its storage) gets the saved theme from the account.
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await signInThroughUi(fresh, email);
  await expect(fresh).toHaveURL(/\/dashboard$/);
  await expect(fresh.locator("html")).toHaveClass(/\bdark\b/);
  await other.close();
});

test("time format changes the preview; custom fields of every type", async ({ page }) => {
  await signUpThroughUi(page, "Cleo Fields", uniqueEmail("cleo"));
  await openPreferences(page);

  // Visible elements only, for the reason given in admin.spec.ts (findUser).
  const preview = page.getByTestId("format-preview").filter({ visible: true });
  await expect(preview).toContainText("15:30");
  await page.getByLabel("Time format").selectOption("12h");
  await expect(preview).toContainText(/3:30\s?PM/);
  await expect(page.getByText("Time format saved")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Time format")).toHaveValue("12h");
  await expect(preview).toContainText(/3:30\s?PM/);

  const addField = async (
    key: string,
    type: string,
    fill: (dialog: ReturnType<Page["getByRole"]>) => Promise<void>,
  ) => {
    await page.getByRole("button", { name: "Add field" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add a custom field" });
    await dialog.getByLabel("Key").fill(key);
    await dialog.getByLabel("Type").selectOption(type);
    await fill(dialog);
    return dialog;
  };

  await expect(page.getByText("No custom fields yet")).toBeVisible();
  let dialog = await addField("team", "text", (d) => d.getByLabel("Value").fill("Core"));
  await dialog.getByLabel("Public").click();
  await dialog.getByRole("button", { name: "Add field" }).click();
  await expect(dialog).toBeHidden();
  const table = page.getByRole("table");
  await expect(table.getByRole("row", { name: /team/ })).toContainText("Core");
  await expect(table.getByRole("row", { name: /team/ })).toContainText("Public");

  dialog = await addField("age", "number", (d) => d.getByLabel("Value").fill("forty"));
  await dialog.getByRole("button", { name: "Add field" }).click();
  await expect(dialog.getByText("Enter a number")).toBeVisible();
  await dialog.getByLabel("Value").fill("42");
  await dialog.getByRole("button", { name: "Add field" }).click();
  await expect(dialog).toBeHidden();
  await expect(table.getByRole("row", { name: /age/ })).toContainText("42");

  dialog = await addField("remote", "boolean", (d) =>
    d.getByRole("switch", { name: "Value" }).click(),
  );
  await dialog.getByRole("button", { name: "Add field" }).click();
  await expect(dialog).toBeHidden();
  await expect(table.getByRole("row", { name: /remote/ })).toContainText("true");

  dialog = await addField("links", "json", (d) => d.getByLabel("Value").fill('{"site": '));
  await dialog.getByRole("button", { name: "Add field" }).click();
  await expect(dialog.getByText(/Not valid JSON/)).toBeVisible();
  await dialog.getByLabel("Value").fill('{"site": "https://example.test"}');
  await dialog.getByRole("button", { name: "Add field" }).click();
  await expect(dialog).toBeHidden();
  await expect(table.getByRole("row", { name: /links/ })).toContainText("example.test");

  // Preference keys are not custom fields.
  dialog = await addField("theme", "text", (d) => d.getByLabel("Value").fill("purple"));
  await dialog.getByRole("button", { name: "Add field" }).click();
  await expect(dialog.getByText(/holds a preference/)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await table.getByRole("button", { name: "Delete age" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete field" }).click();
  await expect(table.getByRole("row", { name: /age/ })).toHaveCount(0);
});

test("upload a cropped avatar and see it in the account menu", async ({ page }) => {
  await signUpThroughUi(page, "Ava Avatar", uniqueEmail("ava"));
  await page.goto("/settings/profile");
  const png = await sharp({
    create: { width: 320, height: 200, channels: 3, background: "#3366cc" },
  })
    .png()
    .toBuffer();
  const dialog = page.getByRole("dialog", { name: "Crop your picture" });
  // A file set on the server-rendered input before React has hydrated it changes nothing:
  // pick it again until the editor answers, as a person would.
  await expect(async () => {
    await page.getByTestId("avatar-file-input").setInputFiles({
      name: "me.png",
      mimeType: "image/png",
      buffer: png,
    });
    await expect(dialog).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(dialog.getByRole("button", { name: "Save picture" })).toBeEnabled();
  await dialog.getByRole("button", { name: "Save picture" }).click();
  await expect(page.getByText("Picture updated")).toBeVisible();
  await expect(dialog).toBeHidden();

  const menuImage = page.getByRole("button", { name: /^Account menu/ }).locator("img");
  await expect(menuImage).toHaveAttribute("src", /^\/api\/avatars\/[0-9a-f-]+\/[0-9a-f]+\.webp$/);

  await page.getByRole("button", { name: "Remove picture" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Remove picture" }).click();
  await expect(page.getByText("Picture removed")).toBeVisible();
  await expect(menuImage).toHaveCount(0);
});
