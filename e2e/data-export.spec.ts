import fs from "node:fs";
import { strFromU8, unzipSync } from "fflate";
import { expect, test } from "./fixtures";
import { expectAccessibleInBothThemes, mailedLink, PASSWORD, uniqueEmail } from "./helpers";

test("download my data: ask, wait for the archive, get the mail, download it; nobody else can", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("export");
  const signUp = await page.request.post("/api/auth/sign-up/email", {
    data: { name: "Ezra Export", email, password: PASSWORD },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);

  await page.goto("/settings/data");
  await expect(page.getByRole("heading", { level: 1, name: "Your data" })).toBeVisible();
  await page.getByRole("button", { name: "Ask for my data" }).click();
  // The worker builds it in the background; the page follows its progress.
  const download = page.getByRole("link", { name: "Download my data" });
  await expect(download).toBeVisible({ timeout: 45_000 });
  await expectAccessibleInBothThemes(page);

  const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
  const archive = unzipSync(fs.readFileSync(await file.path()));
  expect(Object.keys(archive)).toEqual(expect.arrayContaining(["data.json", "index.html"]));
  const data = JSON.parse(strFromU8(archive["data.json"]!)) as { profile: { name: string } };
  expect(data.profile.name).toBe("Ezra Export");
  expect(strFromU8(archive["index.html"]!)).toContain("Ezra Export");

  // The mail's link is the same download, and it is the owner's alone.
  const link = await mailedLink(browser, email, "Your Parley data is ready to download");
  expect((await page.request.get(link)).status()).toBe(200);
  const stranger = await browser.newContext();
  const signUpOther = await stranger.request.post("/api/auth/sign-up/email", {
    data: { name: "Nosy Parker", email: uniqueEmail("nosy"), password: PASSWORD },
  });
  expect(signUpOther.ok()).toBe(true);
  expect((await stranger.request.get(link)).status()).toBe(404);
  await stranger.close();
});
