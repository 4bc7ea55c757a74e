import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "./same-origin";

const app = "https://parley.example";

describe("crossSiteRefusal", () => {
  it("lets the app's own origin through, by APP_URL or by the host it was addressed to", () => {
    expect(crossSiteRefusal({ origin: app, cookie: "s=1" }, app)).toBeNull();
    expect(
      crossSiteRefusal({ origin: "http://192.168.1.5:3000", host: "192.168.1.5:3000" }, app),
    ).toBeNull();
  });

  it("refuses a foreign, null or malformed Origin", () => {
    for (const origin of ["https://evil.example", "null", "https://parley.example.evil", "::"]) {
      expect(crossSiteRefusal({ origin, host: "parley.example", cookie: "s=1" }, app)).toMatch(
        /Cross-site/,
      );
    }
  });

  it("falls back to Sec-Fetch-Site without an Origin", () => {
    expect(crossSiteRefusal({ "sec-fetch-site": "same-origin", cookie: "s=1" }, app)).toBeNull();
    for (const site of ["cross-site", "same-site", "none"]) {
      expect(crossSiteRefusal({ "sec-fetch-site": site, cookie: "s=1" }, app)).toMatch(
        /Cross-site/,
      );
    }
  });

  it("refuses a request with cookies but no provenance, and lets a cookieless one run", () => {
    expect(crossSiteRefusal({ cookie: "s=1" }, app)).toMatch(/Origin/);
    expect(crossSiteRefusal({}, app)).toBeNull();
  });
});
