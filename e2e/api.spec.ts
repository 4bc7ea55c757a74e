import { expect, request as playwrightRequest, test } from "./fixtures";

test("an API key created in the app works against REST v1, tried from the docs page", async ({
  page,
  baseURL,
}) => {
  const api = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { origin: baseURL ?? "" },
  });
  expect(
    (
      await api.post("/api/auth/sign-in/email", {
        data: { email: "alice@example.com", password: "parley-demo" },
      })
    ).ok(),
  ).toBe(true);
  const created = await api.post("/api/trpc/apiKeys.create", {
    data: { json: { name: "e2e", scopes: ["profile:read"] } },
  });
  expect(created.ok()).toBe(true);
  const secret = ((await created.json()) as { result: { data: { json: { secret: string } } } })
    .result.data.json.secret;

  const document = await api.get("/api/v1/openapi.json");
  expect(((await document.json()) as { openapi: string }).openapi).toBe("3.1.0");
  const unauthenticated = await api.get("/api/v1/me");
  expect(unauthenticated.status()).toBe(401);
  await api.dispose();

  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "Parley REST API v1" })).toBeVisible();
  await page.getByLabel("Endpoint").selectOption({ label: "GET /api/v1/me" });
  await page.getByLabel("API key").fill(secret);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("try-result")).toContainText("200");
  await expect(page.getByTestId("try-result")).toContainText("alice@example.com");
});
