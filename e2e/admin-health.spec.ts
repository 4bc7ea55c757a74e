import { expect, test } from "./fixtures";
import { expectAccessibleInBothThemes, signedInAdminPage } from "./helpers";

test("a site admin reads the database's health, switches lists and refreshes", async ({
  browser,
}) => {
  const admin = await signedInAdminPage(browser);
  try {
    await admin.goto("/admin");
    await admin
      .getByRole("navigation", { name: "Admin" })
      .getByRole("link", { name: "Health" })
      .click();
    await expect(admin).toHaveURL(/\/admin\/health$/);
    await expect(admin.getByRole("heading", { name: "Health", level: 1 })).toBeVisible();

    // The e2e server runs on the embedded database: the page says what it cannot show.
    await expect(admin.getByRole("note")).toContainText("embedded database (PGlite)");
    await expect(admin.getByTestId("health-database-size")).toContainText(/\d/);
    await expect(admin.getByRole("region", { name: "Queues" })).toContainText("File deletions");
    await expect(
      admin.getByRole("region", { name: "Largest tables" }).locator("tbody tr").first(),
    ).toBeVisible();
    await expect(
      admin.getByText("Not available on the embedded database (PGlite)", { exact: false }),
    ).toBeVisible();

    const unused = admin.getByRole("button", { name: "Unused only" });
    await unused.click();
    await expect(unused).toHaveAttribute("aria-pressed", "true");
    await expect(admin.getByRole("region", { name: "Unused indexes" })).toBeVisible();

    await admin.getByRole("button", { name: "Refresh" }).click();
    await expect(admin.getByRole("button", { name: "Refresh" })).toBeEnabled();

    await expectAccessibleInBothThemes(admin);
  } finally {
    await admin.context().close();
  }
});
