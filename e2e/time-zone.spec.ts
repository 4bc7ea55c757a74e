import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, signInThroughUi } from "./helpers";

// UTC+14, as far from the server's UTC as a zone gets: most dates fall on another day.
const ZONE = "Pacific/Kiritimati";
test.use({ timezoneId: ZONE });

test("pages are rendered in the viewer's time zone and hydrate as rendered", async ({
  page,
  context,
}) => {
  await signInThroughUi(page, "admin@example.com", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  const cookie = (await context.cookies()).find((c) => c.name === "tz");
  expect(decodeURIComponent(cookie?.value ?? "")).toBe(ZONE);

  // The server's own HTML shows when this session began in the viewer's zone.
  const html = await (await page.request.get("/settings/security")).text();
  const started = /<time dateTime="([^"]+)">([^<]+)<\/time>/i.exec(html);
  expect(started, "a session start time in the server's HTML").not.toBeNull();
  const [, iso = "", shown = ""] = started ?? [];
  const inZone = new Intl.DateTimeFormat("en", {
    dateStyle: "medium",
    timeStyle: "short",
    hour12: false,
    timeZone: ZONE,
  });
  expect(shown).toBe(inZone.format(new Date(iso)));

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
