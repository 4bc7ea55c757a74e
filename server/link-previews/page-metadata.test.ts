import { describe, expect, it } from "vitest";
import { pageMetadata, PREVIEW_LIMITS } from "./page-metadata";

describe("pageMetadata", () => {
  it("prefers Open Graph, then the Twitter card, then the page's own title and description", () => {
    expect(
      pageMetadata(`<html><head><title>Plain</title>
        <meta name="description" content="Plain description">
        <meta property="og:title" content="Graph &amp; title">
        <meta property="og:site_name" content="Example">
        </head><body></body></html>`),
    ).toEqual({ title: "Graph & title", description: "Plain description", siteName: "Example" });
    expect(
      pageMetadata(`<head><meta name="twitter:title" content="Card"><title>Plain</title></head>`),
    ).toEqual({ title: "Card", description: null, siteName: null });
    expect(pageMetadata(`<title>  Only\n a   title </title>`)).toEqual({
      title: "Only a title",
      description: null,
      siteName: null,
    });
  });

  it("reads only the head: what the body says is not the page's summary", () => {
    expect(
      pageMetadata(
        `<head><title>Real</title></head><body><meta property="og:title" content="Fake"></body>`,
      ),
    ).toMatchObject({ title: "Real" });
  });

  it("has nothing to show without a title", () => {
    expect(pageMetadata(`<head><meta name="description" content="No title"></head>`)).toBeNull();
    expect(pageMetadata("")).toBeNull();
    expect(pageMetadata("\u0000\u0001 not html at all")).toBeNull();
  });

  it("keeps no control characters and cuts long text to the bounds the database holds", () => {
    const long = "é".repeat(PREVIEW_LIMITS.description + 50);
    const meta = pageMetadata(
      `<head><title>a\u0007b\u200bc</title><meta property="og:description" content="${long}"></head>`,
    )!;
    expect(meta.title).toBe("a b\u200bc");
    expect([...meta.description!]).toHaveLength(PREVIEW_LIMITS.description);
    expect(meta.description!.endsWith("…")).toBe(true);
  });
});
