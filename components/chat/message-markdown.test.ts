import {
  AppRouterContext,
  type AppRouterInstance,
} from "next/dist/shared/lib/app-router-context.shared-runtime";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MessageMarkdown } from "./message-markdown";

/** The router the app provides; a server render never navigates, so nothing here is called. */
const router: AppRouterInstance = {
  bfcacheId: "test",
  back() {},
  forward() {},
  refresh() {},
  push() {},
  replace() {},
  prefetch() {},
};

const render = (text: string) =>
  renderToStaticMarkup(
    createElement(
      AppRouterContext.Provider,
      { value: router },
      createElement(MessageMarkdown, { text }),
    ),
  );

describe("MessageMarkdown", () => {
  it("formats emphasis, strikethrough, inline code, quotes and lists", () => {
    const html = render("**bold** _it_ ~~old~~ `code`\n\n> said\n\n- a\n- b\n\n1. c");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>it</em>");
    expect(html).toContain("<del>old</del>");
    expect(html).toContain("<code>code</code>");
    expect(html).toMatch(/<blockquote>\s*<p>said<\/p>\s*<\/blockquote>/);
    expect(html).toMatch(/<ul>\s*<li>a<\/li>\s*<li>b<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol>\s*<li>c<\/li>\s*<\/ol>/);
  });

  it("keeps every line break as typed", () => {
    expect(render("one\ntwo")).toContain("one<br/>\ntwo");
  });

  it("shows typed HTML as text and never renders it", () => {
    const html = render('<script>alert(1)</script> <img src=x onerror="alert(2)"> <b>hi</b>');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;b&gt;hi&lt;/b&gt;");
  });

  it("links only to safe protocols, in a new tab, without a referrer", () => {
    const html = render(
      "[x](javascript:alert(1)) [y](data:text/html,hi) [z](https://example.com/a) https://example.org/b",
    );
    expect(html).not.toMatch(/href="(javascript|data):/);
    expect(html).toContain(
      '<a href="https://example.com/a" target="_blank" rel="noopener noreferrer nofollow ugc">z</a>',
    );
    // A bare address becomes a link too.
    expect(html).toContain('href="https://example.org/b"');
  });

  it("does not load pictures from elsewhere: their alt text links to them", () => {
    const html = render("![the chart](https://tracker.example/pixel.png)");
    expect(html).not.toContain("<img");
    expect(html).toContain('href="https://tracker.example/pixel.png"');
    expect(html).toContain(">the chart</a>");
  });

  it("renders headings as emphasis, not as page headings", () => {
    const html = render("# Title\n## Sub");
    expect(html).not.toMatch(/<h[1-6]/);
    expect(html).toContain('<p class="md-heading">Title</p>');
  });

  it("renders a fenced code block as text, labelled with its language, with a copy button", () => {
    const html = render("```ts\nconst a = 1 < 2;\n```");
    expect(html).toContain('aria-label="Code, ts"');
    expect(html).toContain('<code class="hljs language-ts">const a = 1 &lt; 2;</code>');
    expect(html).toContain('aria-label="Copy code"');
  });

  it("renders tables in a scrolling frame and task lists as read-only boxes", () => {
    const html = render("| a | b |\n| - | - |\n| 1 | 2 |\n\n- [x] done\n- [ ] todo");
    expect(html).toMatch(/<div class="md-table"><table>/);
    const boxes = html.match(/<input[^>]*>/g) ?? [];
    expect(boxes).toHaveLength(2);
    expect(boxes.every((box) => /type="checkbox"/.test(box) && /disabled=""/.test(box))).toBe(true);
    expect(boxes.map((box) => /checked=""/.test(box))).toEqual([true, false]);
  });
});
