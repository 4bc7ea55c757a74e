import { test as base, expect, type BrowserContext } from "@playwright/test";

export { expect, request } from "@playwright/test";
export type { APIRequestContext, Browser, Page } from "@playwright/test";

/**
 * Every e2e test, with one more check: no page it opened threw an uncaught error. That
 * includes the errors React recovers from itself, which Next reports as uncaught: a page whose
 * server HTML does not hydrate is rendered again in the browser, and the person sees it change.
 */
export const test = base.extend<{ browserErrors: void }>({
  browserErrors: [
    async ({ browser, context }, use) => {
      const errors: string[] = [];
      const watch = (watched: BrowserContext) =>
        watched.on("weberror", (webError) => {
          const url = webError.page()?.url() ?? "(no page)";
          errors.push(`${url}: ${webError.error().message}`);
        });
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
