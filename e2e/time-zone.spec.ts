import { expect, test, type Browser, type Page } from "./fixtures";
import { DEMO_PASSWORD, signInThroughUi } from "./helpers";

/** Signs the admin in from a browser in `timeZone`; its `tz` cookie must name that zone. */
async function signInFrom(browser: Browser, timeZone: string): Promise<Page> {
  const context = await browser.newContext({ timezoneId: timeZone });
  const page = await context.newPage();
  await signInThroughUi(page, "admin@example.com", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  const cookie = (await context.cookies()).find((c) => c.name === "tz");
  expect(decodeURIComponent(cookie?.value ?? "")).toBe(timeZone);
  return page;
}

/** The server's own HTML shows when this session began, in the viewer's zone. */
async function expectSessionStartIn(page: Page, timeZone: string): Promise<void> {
  const html = await (await page.request.get("/settings/security")).text();
  const started = /<time dateTime="([^"]+)">([^<]+)<\/time>/i.exec(html);
  expect(started, "a session start time in the server's HTML").not.toBeNull();
  const [, iso = "", shown = ""] = started ?? [];
  const inZone = new Intl.DateTimeFormat("en", {
    dateStyle: "medium",
    timeStyle: "short",
    hourCycle: "h23",
    timeZone,
  });
  expect(shown).toBe(inZone.format(new Date(iso)));
}

test("pages are rendered in the viewer's time zone and hydrate as rendered", async ({
  browser,
}) => {
  // UTC+14, as far from the server's UTC as a zone gets: most dates fall on another day.
  const zone = "Pacific/Kiritimati";
  const page = await signInFrom(browser, zone);
  await expectSessionStartIn(page, zone);

  // Each page hydrates without a mismatch: the fixture fails the test on any hydration error.
  // (Before the server knew the zone, /admin failed here: its day labels differed.)
  for (const path of [
    "/dashboard",
    "/admin",
    "/admin/users",
    "/admin/audit",
    "/settings/security",
    "/settings/api-keys",
    "/chat",
  ]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
});

test("the hour after midnight reads the same on the server and in the browser", async ({
  browser,
}) => {
  // The zone where it is now between midnight and one: Etc/GMT+N is N hours behind UTC.
  const hour = new Date().getUTCHours();
  const zone = hour === 0 ? "UTC" : hour <= 12 ? `Etc/GMT+${hour}` : `Etc/GMT-${24 - hour}`;
  const page = await signInFrom(browser, zone);
  // Asked for `hour12: false`, Node's ICU writes that hour as 24 and browsers as 00.
  await expectSessionStartIn(page, zone);
  await page.goto("/settings/security");
  await page.waitForLoadState("networkidle");
});
