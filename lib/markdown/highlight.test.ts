import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { highlightCode } from "./highlight";

const html = (code: string, language: string) => {
  const node = highlightCode(code, language);
  return node === null ? null : renderToStaticMarkup(createElement(Fragment, null, node));
};

describe("highlightCode", () => {
  it("marks a known language's tokens with highlight.js classes", () => {
    const out = html('const greeting = "hi"; // say it', "TypeScript");
    expect(out).toContain('<span class="hljs-keyword">const</span>');
    expect(out).toContain('<span class="hljs-string">&quot;hi&quot;</span>');
    expect(out).toContain('<span class="hljs-comment">// say it</span>');
  });

  it("escapes what the code holds", () => {
    expect(html("<script>alert(1)</script>", "xml")).not.toContain("<script>");
  });

  it("leaves a language it does not know to plain text", () => {
    expect(html("anything", "no-such-language")).toBeNull();
  });
});
