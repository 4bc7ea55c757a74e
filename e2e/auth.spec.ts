import { expect, request as playwrightRequest, test } from "./fixtures";
import {
  expectAccessibleInBothThemes,
  signInThroughUi,
  signOutThroughUi,
  signUpThroughUi,
  uniqueEmail,
} from "./helpers";

test("the front page says what Parley is to a visitor and leads in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/$/);
  await expect(page).toHaveTitle("Parley — team chat you can trust");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Team chat you can trust with what you say",
  );
  await expectAccessibleInBothThemes(page);
  await page.getByRole("main").getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await page.goto("/");
  await page
    .getByRole("navigation", { name: "Account" })
    .getByRole("link", { name: "Sign in" })
    .click();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("sign up, reach the dashboard, sign out, sign in again", async ({ page }) => {
  const email = uniqueEmail("erin");

  // Signed-out visitors are sent to sign-in, remembering where they wanted to go.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);

  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await signUpThroughUi(page, "Erin Example", email);
  await expect(page.getByRole("heading", { name: "Welcome, Erin Example" })).toBeVisible();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  // Signed in, the front page is the dashboard.
  await page.goto("/");
  await expect(page).toHaveURL(/\/dashboard$/);

  await signOutThroughUi(page);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);

  // Signing in loads the page once, fresh for the new session: not a client navigation
  // followed by a refresh, which rendered it twice and kept the old session's state.
  const dashboardLoads: string[] = [];
  page.on("request", (request) => {
    const prefetch = request.headers()["next-router-prefetch"] !== undefined;
    if (new URL(request.url()).pathname === "/dashboard" && !prefetch) {
      dashboardLoads.push(request.resourceType());
    }
  });
  await signInThroughUi(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Welcome, Erin Example" })).toBeVisible();
  expect(dashboardLoads).toEqual(["document"]);

  // A deep link survives the detour through sign-in, query string included.
  await signOutThroughUi(page);
  await page.goto("/settings/audit?status=4xx");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Faudit%3Fstatus%3D4xx$/);
  await signInThroughUi(page, email);
  await expect(page).toHaveURL(/\/settings\/audit\?status=4xx$/);
});

test("a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("alice@example.com");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toContainText(/invalid email or password/i);
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("a banned user sees the ban reason at sign-in", async ({ page, baseURL }) => {
  const email = uniqueEmail("frank");
  await signUpThroughUi(page, "Frank Banned", email);
  await signOutThroughUi(page);

  // The demo admin bans Frank through Better Auth's admin API.
  const admin = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { origin: baseURL ?? "" },
  });
  const signIn = await admin.post("/api/auth/sign-in/email", {
    data: { email: "admin@example.com", password: "parley-demo" },
  });
  expect(signIn.ok()).toBe(true);
  const list = await admin.get(
    `/api/auth/admin/list-users?searchField=email&searchOperator=contains&searchValue=${encodeURIComponent(email)}`,
  );
  expect(list.ok()).toBe(true);
  const { users } = (await list.json()) as { users: { id: string; email: string }[] };
  const frank = users.find((u) => u.email === email);
  expect(frank).toBeDefined();
  const ban = await admin.post("/api/auth/admin/ban-user", {
    data: { userId: frank?.id, banReason: "Posting spam in #general" },
  });
  expect(ban.ok()).toBe(true);
  await admin.dispose();

  await signInThroughUi(page, email);
  await expect(page.getByTestId("form-error")).toHaveText(
    "Your account has been suspended: Posting spam in #general",
  );
  await expect(page).toHaveURL(/\/sign-in$/);
});
