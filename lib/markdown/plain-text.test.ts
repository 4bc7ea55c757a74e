import fc from "fast-check";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toString } from "mdast-util-to-string";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import { markdownToPlainText } from "./plain-text";

describe("markdownToPlainText", () => {
  it.each([
    ["**bold** and _italic_ and ~~gone~~", "bold and italic and gone"],
    ["see [the plan](https://example.com/plan)", "see the plan"],
    ["# Launch\nnext *week*", "Launch next week"],
    ["- one\n- two\n\n1. three", "one two three"],
    ["> quoted\n\nreply", "quoted reply"],
    ["```ts\nconst a = 1;\n```", "const a = 1;"],
    ["`npm test` passes", "npm test passes"],
    ["| a | b |\n| - | - |\n| 1 | 2 |", "a b 1 2"],
    // A table of one column needs no pipes: the second line is its delimiter row.
    ["a\n:-", "a"],
    ["Title\n-:", "Title"],
    ["![chart](https://example.com/c.png)", "chart"],
    ["<b>typed</b> &amp; kept", "<b>typed</b> & kept"],
    ["plain   text\nacross lines", "plain text across lines"],
    ["", ""],
  ])("%j reads as %j", (markdown, plain) => {
    expect(markdownToPlainText(markdown)).toBe(plain);
  });

  // Differential: the same characters as mdast-util-to-string says the document holds, only
  // spaced as lines are. Covers the shortcut for text with no Markdown syntax in it too.
  it("keeps exactly the text the Markdown parser finds", () => {
    const piece = fc.constantFrom(
      "a",
      "word",
      " ",
      "\n",
      "\n\n",
      "*",
      "_",
      "~",
      "`",
      "#",
      ">",
      "-",
      "+",
      "=",
      "1.",
      "2)",
      "[",
      "]",
      "(",
      ")",
      "!",
      "|",
      "<",
      "\\",
      "&amp;",
      "&#35;",
      "http://x.test/y",
      "www.example.com",
      "    ",
      ":",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const markdown = pieces.join("");
        const tree = fromMarkdown(markdown, {
          extensions: [gfm()],
          mdastExtensions: [gfmFromMarkdown()],
        });
        const squeeze = (text: string) => text.replace(/\s+/g, "");
        expect(squeeze(markdownToPlainText(markdown))).toBe(squeeze(toString(tree)));
      }),
      { numRuns: 2000 },
    );
  });
});
