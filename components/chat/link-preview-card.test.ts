import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LinkPreviewCard } from "./link-preview-card";

const render = (preview: Parameters<typeof LinkPreviewCard>[0]["preview"]) =>
  renderToStaticMarkup(createElement(LinkPreviewCard, { preview, mine: false }));

describe("LinkPreviewCard", () => {
  it("names the site, links the title to the page in a new tab without a referrer, and shows no picture", () => {
    const html = render({
      url: "https://www.example.com/post?id=1",
      title: "A <b>post</b>",
      description: "What it says",
      siteName: null,
    });
    expect(html).toContain(">example.com</p>");
    expect(html).toContain(
      '<a href="https://www.example.com/post?id=1" target="_blank" rel="noopener noreferrer nofollow ugc"',
    );
    expect(html).toContain("A &lt;b&gt;post&lt;/b&gt;</a>");
    expect(html).toContain("What it says");
    expect(html).not.toContain("<img");
  });

  it("prefers the site's own name", () => {
    expect(
      render({
        url: "https://example.com/",
        title: "T",
        description: null,
        siteName: "Example News",
      }),
    ).toContain(">Example News</p>");
  });
});
