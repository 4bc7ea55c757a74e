import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";

export { expect, request } from "@playwright/test";
export type { APIRequestContext, Browser, Page } from "@playwright/test";

/**
 * A full page load streams each Suspense boundary's content into a hidden element
 * (`div[hidden][id^="S:"]`) before React moves it into place, and a copy rendered in the
 * browser has been seen beside the hidden one for a moment. `goto` resolves only once every
 * streamed boundary is in place, so no locator meets the page with a second, hidden copy of
 * its content.
 */
function settleStreamingAfterGoto(page: Page): void {
  const goto = page.goto.bind(page);
  page.goto = async (url, options) => {
    const response = await goto(url, options);
    await page.waitForFunction(() => !document.querySelector('div[hidden][id^="S:"]'));
    return response;
  };
}

/**
 * Every e2e test, with one more check: no page it opened threw an uncaught error or broke its
 * Content-Security-Policy. Uncaught errors include those React recovers from itself, which
 * Next reports as uncaught: a page whose server HTML does not hydrate is rendered again in
 * the browser, and the person sees it change.
 */
export const test = base.extend<{ browserErrors: void }>({
  browserErrors: [
    async ({ browser, context }, use) => {
      const errors: string[] = [];
      const watch = (watched: BrowserContext) => {
        watched.on("weberror", (webError) => {
          const url = webError.page()?.url() ?? "(no page)";
          errors.push(`${url}: ${webError.error().message}`);
        });
        // A script or style the Content-Security-Policy refused is a page that does not work
        // as built, though nothing throws.
        watched.on("console", (message) => {
          if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
            errors.push(`${message.page()?.url() ?? "(no page)"}: ${message.text()}`);
          }
        });
        for (const opened of watched.pages()) settleStreamingAfterGoto(opened);
        watched.on("page", settleStreamingAfterGoto);
      };
      watch(context);
      // Tests that act as several people open contexts of their own.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const created = await newContext(options);
        watch(created);
        return created;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      expect(errors, "uncaught errors in the browser").toEqual([]);
    },
    { auto: true },
  ],
});
