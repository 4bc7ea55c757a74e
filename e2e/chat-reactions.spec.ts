import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import {
  annAndBen,
  chatLink,
  closeAll,
  composer,
  keepScreenshot,
  messageWithText,
  openMessageActions,
  sendMessage,
  startDirectChat,
  type PreparePage,
} from "./chat-helpers";
import { applyTheme } from "./helpers";

/** Collects every URL the page requests into `requests`, to prove nothing leaves for a CDN. */
function recordRequests(requests: string[]): PreparePage {
  return (page) => {
    page.on("request", (request) => requests.push(request.url()));
  };
}

/** Opens the full reaction picker of a message from its actions menu, with the mouse. */
async function openReactionPicker(page: Page, text: string) {
  await openMessageActions(page, text);
  await page.getByRole("menuitem", { name: "More reactions…" }).click();
  return page.getByRole("dialog", { name: "Add a reaction" });
}

/** From the focused "Message actions" button to an open reaction picker, keys only. */
async function openReactionPickerWithKeyboard(page: Page) {
  await page.keyboard.press("Enter");
  const more = page.getByRole("menuitem", { name: "More reactions…" });
  await expect(more).toBeVisible();
  for (let step = 0; step < 10; step++) {
    if (await more.evaluate((item) => item === document.activeElement)) break;
    await page.keyboard.press("ArrowDown");
  }
  await expect(more).toBeFocused();
  await page.keyboard.press("Enter");
  return page.getByRole("dialog", { name: "Add a reaction" });
}

test("the full emoji picker reacts, inserts into the composer and never calls a CDN", async ({
  browser,
}, testInfo) => {
  const requests: string[] = [];
  const { annName, benName, ann, ben } = await annAndBen(browser, {
    ann: recordRequests(requests),
    ben: recordRequests(requests),
  });

  await startDirectChat(ann, benName);
  const origin = new URL(ann.url()).origin;
  await sendMessage(ann, "Ready?");

  await ben.goto("/chat");
  await chatLink(ben, annName).click();
  await sendMessage(ben, "Ready for launch");
  await expect(messageWithText(ann, "Ready for launch")).toBeVisible();

  // A failed load says so and can be tried again.
  await ben.route("**/emojibase/**", (route) => route.abort());
  await ben.getByRole("button", { name: "Insert emoji" }).click();
  const benPicker = ben.getByRole("dialog", { name: "Insert emoji" });
  await expect(benPicker.getByRole("alert")).toContainText("Emoji could not be loaded.");
  await ben.unrouteAll({ behavior: "wait" });
  await benPicker.getByRole("button", { name: "Try again" }).click();
  await expect(benPicker.getByRole("gridcell").first()).toBeVisible();
  await expect(benPicker.getByRole("searchbox", { name: "Search emoji" })).toBeFocused();
  await ben.keyboard.press("Escape");
  await expect(benPicker).toBeHidden();

  // The first opening shows the loading state until the data arrives from Parley.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await ann.route("**/emojibase/**", async (route) => {
    await held;
    await route.continue();
  });
  const picker = await openReactionPicker(ann, "Ready for launch");
  await expect(picker).toBeVisible();
  await expect(picker.getByText("Loading emoji…")).toBeVisible();
  await expect(picker.getByRole("searchbox", { name: "Search emoji" })).toBeFocused();
  release();
  await expect(picker.getByRole("gridcell").first()).toBeVisible();
  await expect(picker.getByText("Loading emoji…")).toHaveCount(0);
  await ann.unrouteAll({ behavior: "wait" });

  // Search and pick with the mouse: both sides see the reaction.
  await picker.getByRole("searchbox", { name: "Search emoji" }).fill("rocket");
  await picker.getByRole("gridcell", { name: "Rocket", exact: true }).click();
  await expect(picker).toBeHidden();
  const annActions = messageWithText(ann, "Ready for launch").getByRole("button", {
    name: "Message actions",
  });
  await expect(annActions).toBeFocused();
  await expect(
    messageWithText(ann, "Ready for launch").getByRole("button", { name: /^🚀 1, including you/ }),
  ).toBeVisible();
  await expect(
    messageWithText(ben, "Ready for launch").getByRole("button", { name: /^🚀 1$/ }),
  ).toBeVisible();

  // Keyboard only: Escape closes and returns focus; arrows and Enter pick.
  let keyboardPicker = await openReactionPickerWithKeyboard(ann);
  await expect(keyboardPicker.getByRole("searchbox", { name: "Search emoji" })).toBeFocused();
  await ann.keyboard.press("Escape");
  await expect(keyboardPicker).toBeHidden();
  await expect(annActions).toBeFocused();

  keyboardPicker = await openReactionPickerWithKeyboard(ann);
  await expect(keyboardPicker.getByRole("searchbox", { name: "Search emoji" })).toBeFocused();
  await ann.keyboard.type("thumbs down");
  await expect(
    keyboardPicker.getByRole("gridcell", { name: "Thumbs down", exact: true }),
  ).toBeVisible();
  await ann.keyboard.press("ArrowDown");
  await expect(
    keyboardPicker.getByRole("gridcell", { name: "Thumbs down", exact: true }),
  ).toHaveAttribute("aria-selected", "true");
  await ann.keyboard.press("Enter");
  await expect(keyboardPicker).toBeHidden();
  await expect(annActions).toBeFocused();
  await expect(
    messageWithText(ben, "Ready for launch").getByRole("button", { name: /^👎 1$/ }),
  ).toBeVisible();

  // Picking an emoji I already reacted with takes my reaction back, also when the quick
  // reactions gave it: the picker's 👍 is the same reaction, not a look-alike second chip.
  await openMessageActions(ann, "Ready for launch");
  await ann.getByRole("menuitem", { name: "React with 👍" }).click();
  const benThumbs = messageWithText(ben, "Ready for launch").getByRole("button", { name: /^👍/ });
  await expect(benThumbs).toHaveAccessibleName("👍 1");
  const again = await openReactionPicker(ann, "Ready for launch");
  await again.getByRole("searchbox", { name: "Search emoji" }).fill("thumbs up");
  await again.getByRole("gridcell", { name: "Thumbs up", exact: true }).click();
  await expect(benThumbs).toHaveCount(0);
  await expect(
    messageWithText(ben, "Ready for launch").getByRole("button", { name: /^🚀 1$/ }),
  ).toBeVisible();

  // The composer on a phone-sized screen: the picker fits, a skin tone sticks, and the
  // emoji lands at the caret.
  await ann.setViewportSize({ width: 360, height: 740 });
  const box = composer(ann);
  await box.fill("Hi  there");
  await box.evaluate((element: HTMLTextAreaElement) => element.setSelectionRange(3, 3));
  await ann.getByRole("button", { name: "Insert emoji" }).click();
  const composerPicker = ann.getByRole("dialog", { name: "Insert emoji" });
  await expect(composerPicker.getByRole("searchbox", { name: "Search emoji" })).toBeFocused();
  await composerPicker.getByRole("searchbox", { name: "Search emoji" }).fill("zzqqxx");
  await expect(composerPicker.getByText("No emoji found for “zzqqxx”")).toBeVisible();
  await composerPicker.getByRole("button", { name: "Skin tone: Default" }).click();
  await ann.getByRole("menuitemradio", { name: "Medium", exact: true }).click();
  await expect(composerPicker.getByRole("button", { name: "Skin tone: Medium" })).toBeVisible();
  await composerPicker.getByRole("searchbox", { name: "Search emoji" }).fill("waving hand");
  const waving = composerPicker.getByRole("gridcell", { name: "Waving hand", exact: true });
  await expect(waving).toHaveText("👋🏽");
  const bounds = (await composerPicker.boundingBox())!;
  expect(bounds.x).toBeGreaterThanOrEqual(0);
  expect(bounds.x + bounds.width).toBeLessThanOrEqual(360);
  await keepScreenshot(ann, testInfo, "emoji-picker-360.png");
  await waving.click();
  await expect(composerPicker).toBeHidden();
  await expect(box).toBeFocused();
  await expect(box).toHaveValue("Hi 👋🏽 there");
  await ann.keyboard.type("!");
  await expect(box).toHaveValue("Hi 👋🏽! there");
  await box.press("Enter");
  await expect(messageWithText(ben, "Hi 👋🏽! there")).toBeVisible();

  // Escape closes the composer's picker and gives focus back to its button.
  await ann.getByRole("button", { name: "Insert emoji" }).click();
  await expect(composerPicker).toBeVisible();
  await ann.keyboard.press("Escape");
  await expect(composerPicker).toBeHidden();
  await expect(ann.getByRole("button", { name: "Insert emoji" })).toBeFocused();

  // The open picker passes axe in both themes (a theme change reloads the page).
  await ann.setViewportSize({ width: 1280, height: 720 });
  for (const theme of ["light", "dark"] as const) {
    await applyTheme(ann, theme);
    await ann.getByRole("button", { name: "Insert emoji" }).click();
    await expect(composerPicker.getByRole("gridcell").first()).toBeVisible();
    const results = await new AxeBuilder({ page: ann })
      .include('[data-testid="emoji-picker"]')
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const blocking = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ rule: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target) }));
    expect(blocking, `${theme} theme`).toEqual([]);
    await keepScreenshot(ann, testInfo, `emoji-picker-${theme}.png`);
    await ann.keyboard.press("Escape");
  }

  // The emoji data came from Parley, and nothing else left the origin.
  const dataUrl = requests.find((url) =>
    /^\/emojibase\/[^/]+\/en\/data\.json$/.test(new URL(url).pathname),
  );
  expect(dataUrl).toBeDefined();
  // Public (no sign-in needed), cacheable for good, and cheap to revalidate with HEAD.
  const stranger = await browser.newContext();
  const anonymous = stranger.request;
  const head = await anonymous.head(dataUrl!);
  expect(head.status()).toBe(200);
  expect(head.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  const etag = head.headers()["etag"]!;
  expect(etag).toMatch(/^"[\w-]+"$/);
  const revalidated = await anonymous.get(dataUrl!, { headers: { "If-None-Match": etag } });
  expect(revalidated.status()).toBe(304);
  expect(
    (await anonymous.get(dataUrl!.replace("/en/data.json", "/en/compact.json"))).status(),
  ).toBe(404);
  const elsewhere = requests.filter(
    (url) => !/^(data|blob):/.test(url) && new URL(url).origin !== origin,
  );
  expect(elsewhere).toEqual([]);

  await stranger.close();
  await closeAll(ann, ben);
});
