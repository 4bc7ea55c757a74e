import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { expect, test, type Page } from "./fixtures";
import { expectAccessibleInBothThemes } from "./helpers";
import { newUserOverHttp, randomTag } from "./chat-helpers";

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

interface Receiver {
  /** The receiver's address; `/fail` answers with a server error, anything else with success. */
  url: string;
  received: Received[];
  close: () => Promise<void>;
}

/** A webhook receiver on the loopback address that records every request it gets. */
async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string") headers[name] = value;
      }
      received.push({
        path: request.url ?? "",
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(request.url === "/fail" ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface SignedEvent {
  type: string;
  data: Record<string, unknown>;
}

/** The requests to `path` of one event type whose signature verifies with `secret`. */
function verifiedEvents(receiver: Receiver, path: string, secret: string, type: string) {
  const verifier = new Webhook(secret);
  return receiver.received
    .filter((request) => request.path === path)
    .flatMap((request) => {
      try {
        const event = verifier.verify(request.body, request.headers) as SignedEvent;
        return [{ id: request.headers["webhook-id"], event }];
      } catch {
        // Signed with another secret (before a rotation): not this secret's to verify.
        return [];
      }
    })
    .filter(({ event }) => event.type === type);
}

/** Adds an endpoint through the dialog and returns its signing secret from the one-time reveal. */
async function addEndpoint(
  page: Page,
  url: string,
  description: string,
  events: string[],
): Promise<string> {
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a webhook endpoint" });
  await dialog.getByLabel("Endpoint URL").fill(url);
  await dialog.getByLabel("Description").fill(description);
  for (const event of events) await dialog.getByRole("checkbox", { name: event }).check();
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  const reveal = page.getByRole("dialog", { name: "Endpoint added" });
  const secret = await reveal.getByLabel("Signing secret").inputValue();
  expect(secret).toMatch(/^whsec_/);
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
  return secret;
}

function endpointRow(page: Page, url: string) {
  return page.getByTestId("webhook-endpoint-row").filter({ hasText: url });
}

async function openDeliveries(page: Page, url: string) {
  await endpointRow(page, url)
    .getByRole("button", { name: /^Deliveries/ })
    .click();
  return page.getByRole("dialog", { name: "Deliveries" });
}

/** The app's own tRPC API, as the signed-in person of `page`. */
async function trpcMutation<T>(page: Page, path: string, input: unknown): Promise<T> {
  const origin = new URL(page.url()).origin;
  const response = await page.request.post(`/api/trpc/${path}`, {
    data: { json: input },
    headers: { origin },
  });
  expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

test("an endpoint gets signed test and message events, is turned off, redelivers and is deleted", async ({
  browser,
}) => {
  const receiver = await startReceiver();
  const page = await newUserOverHttp(browser, `Wanda ${randomTag()}`);
  try {
    await page.goto("/settings/profile");
    await page
      .getByRole("navigation", { name: "Settings" })
      .getByRole("link", { name: "Webhooks" })
      .click();
    await expect(page).toHaveURL(/\/settings\/webhooks$/);
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
    await expect(page.getByText("No endpoints yet")).toBeVisible();

    const url = `${receiver.url}/ok`;
    const secret = await addEndpoint(page, url, "e2e receiver", ["Message sent", "Message edited"]);
    const row = endpointRow(page, url);
    await expect(row.getByTestId("webhook-endpoint-status")).toHaveText("Enabled");
    await expect(row.getByRole("list", { name: "Events" })).toHaveText(
      /Message sent\s*Message edited/,
    );

    // "Send test event": the log shows it delivered, and the receiver can verify it.
    let deliveries = await openDeliveries(page, url);
    await expect(deliveries.getByText("No deliveries yet")).toBeVisible();
    await deliveries.getByRole("button", { name: "Send test event" }).click();
    const testDelivery = deliveries.locator(
      '[data-testid="webhook-delivery"][data-event-type="webhook.test"]',
    );
    await expect(testDelivery).toHaveAttribute("data-status", "succeeded");
    await expect(testDelivery).toContainText("Succeeded");
    await expect(testDelivery.getByTestId("webhook-delivery-response")).toHaveText("200");
    const tests = verifiedEvents(receiver, "/ok", secret, "webhook.test");
    expect(tests).toHaveLength(1);
    expect(tests[0]!.event.data).toMatchObject({ test: true });
    await page.keyboard.press("Escape");
    await expect(deliveries).toBeHidden();
    await expect(row.getByTestId("webhook-last-success")).not.toContainText("Never");

    // A message sent in a chat reaches the receiver as `message.created`.
    const text = `Hello hooks ${randomTag()}`;
    const chat = await trpcMutation<{ id: string }>(page, "chats.createGroup", {
      name: "Hook room",
      memberIds: [],
    });
    await trpcMutation(page, "messages.send", { chatId: chat.id, content: text });
    await expect
      .poll(() => verifiedEvents(receiver, "/ok", secret, "message.created").length)
      .toBe(1);
    const [created] = verifiedEvents(receiver, "/ok", secret, "message.created");
    expect(created!.event.data).toMatchObject({ chatId: chat.id, message: { content: text } });

    // Turned off: the badge says so, and a test event is logged as skipped, not sent.
    await row.getByRole("button", { name: /^Edit/ }).click();
    let edit = page.getByRole("dialog", { name: "Edit endpoint" });
    await edit.getByRole("switch", { name: "Enabled" }).click();
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit).toBeHidden();
    await expect(row.getByTestId("webhook-endpoint-status")).toContainText("Disabled");
    await expect(row.getByTestId("webhook-endpoint-status")).toContainText("Turned off");

    deliveries = await openDeliveries(page, url);
    await deliveries.getByRole("button", { name: "Send test event" }).click();
    const skipped = deliveries.locator('[data-testid="webhook-delivery"][data-status="skipped"]');
    await expect(skipped).toContainText("Skipped");
    await page.keyboard.press("Escape");

    // On again, "Redeliver" sends the skipped event after all.
    await row.getByRole("button", { name: /^Edit/ }).click();
    edit = page.getByRole("dialog", { name: "Edit endpoint" });
    await edit.getByRole("switch", { name: "Enabled" }).click();
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(row.getByTestId("webhook-endpoint-status")).toHaveText("Enabled");
    deliveries = await openDeliveries(page, url);
    await deliveries.getByRole("button", { name: /^Redeliver/ }).click();
    await expect(
      deliveries.locator(
        '[data-testid="webhook-delivery"][data-event-type="webhook.test"][data-status="succeeded"]',
      ),
    ).toHaveCount(2);
    await expect(deliveries.locator('[data-status="skipped"]')).toHaveCount(0);
    const redelivered = verifiedEvents(receiver, "/ok", secret, "webhook.test");
    expect(redelivered).toHaveLength(2);
    expect(redelivered[1]!.id).not.toBe(redelivered[0]!.id);
    await page.keyboard.press("Escape");

    await row.getByRole("button", { name: /^Delete/ }).click();
    await page
      .getByRole("alertdialog", { name: "Delete this endpoint?" })
      .getByRole("button", { name: "Delete endpoint" })
      .click();
    await expect(row).toHaveCount(0);
    await expect(page.getByText("No endpoints yet")).toBeVisible();
  } finally {
    await page.context().close();
    await receiver.close();
  }
});

test("a failing endpoint shows the receiver's answer and retries; the page fits a phone", async ({
  browser,
}) => {
  const receiver = await startReceiver();
  const page = await newUserOverHttp(browser, `Fiona ${randomTag()}`, {
    width: 390,
    height: 844,
  });
  try {
    await page.goto("/settings/webhooks");
    const url = `${receiver.url}/fail`;
    const secret = await addEndpoint(page, url, "always 500", ["Reaction added"]);

    const deliveries = await openDeliveries(page, url);
    await deliveries.getByRole("button", { name: "Send test event" }).click();
    const delivery = deliveries.getByTestId("webhook-delivery");
    await expect(delivery).toContainText("Retrying");
    await expect(delivery.getByTestId("webhook-delivery-response")).toHaveText("500");
    await expect(delivery).toContainText("answered 500");
    await expect(delivery).toContainText("Next attempt");
    expect(verifiedEvents(receiver, "/fail", secret, "webhook.test").length).toBeGreaterThan(0);
    await page.keyboard.press("Escape");

    const row = endpointRow(page, url);
    await expect(row.getByTestId("webhook-last-failure")).not.toContainText("Never");
    // The table scrolls inside its frame; the page itself never scrolls sideways.
    const { scrollWidth, wide } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      // What reaches past the screen (a frame's scrolled content among it), to trace a failure.
      wide: [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 8)
        .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 80)}`),
    }));
    expect(scrollWidth, wide.join("\n")).toBeLessThanOrEqual(390);
    await expectAccessibleInBothThemes(page);

    // A rotated secret signs what is sent from then on; the reveal asks before closing uncopied.
    await row.getByRole("button", { name: /^Rotate secret/ }).click();
    await page
      .getByRole("dialog", { name: "Rotate the signing secret?" })
      .getByRole("button", { name: "Rotate secret" })
      .click();
    const rotated = page.getByRole("dialog", { name: "Secret rotated" });
    const newSecret = await rotated.getByLabel("Signing secret").inputValue();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    await page.keyboard.press("Escape");
    await expect(rotated.getByRole("alert")).toContainText("You have not copied this secret");
    await rotated.getByRole("button", { name: "Close without copying" }).click();
    await expect(rotated).toBeHidden();
    await row.getByRole("button", { name: /^Send test event/ }).click();
    await expect
      .poll(() => verifiedEvents(receiver, "/fail", newSecret, "webhook.test").length)
      .toBeGreaterThan(0);

    // Deleted, it is retried no more.
    await endpointRow(page, url)
      .getByRole("button", { name: /^Delete/ })
      .click();
    await page
      .getByRole("alertdialog", { name: "Delete this endpoint?" })
      .getByRole("button", { name: "Delete endpoint" })
      .click();
    await expect(endpointRow(page, url)).toHaveCount(0);
  } finally {
    await page.context().close();
    await receiver.close();
  }
});
