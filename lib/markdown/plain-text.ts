import type { Nodes } from "mdast";
import { parseMarkdown } from "./parse";

// Text without any character Markdown gives a meaning to reads the same either way; most chat
// messages are such text, and they skip the parser. A line of hyphens, with a colon at either
// end or not, underlines a heading or makes the line above a table's header.
const MARKDOWN_SYNTAX = /[*_~`#>[\]!|<\\&]|^\s*(?:[-+]|\d+[.)])(?:\s|$)|^\s*(?:=+|:?-+:?)\s*$/m;

/**
 * What a Markdown message says, as one line of plain text: for previews in lists, reply
 * quotes and notifications, where `**bold**` must read as "bold" and a link as its text.
 */
export function markdownToPlainText(markdown: string): string {
  if (!MARKDOWN_SYNTAX.test(markdown)) return collapse(markdown);
  const tree = parseMarkdown(markdown);
  const parts: string[] = [];
  collect(tree, parts);
  return collapse(parts.join(""));
}

function collect(node: Nodes, parts: string[]): void {
  switch (node.type) {
    case "text":
    case "inlineCode":
    case "html":
      parts.push(node.value);
      return;
    case "code":
      parts.push(` ${node.value} `);
      return;
    case "image":
      parts.push(node.alt ?? "");
      return;
    case "break":
    case "thematicBreak":
      parts.push(" ");
      return;
  }
  if (!("children" in node)) return;
  const block = !childrenAreInline(node);
  for (const child of node.children) {
    collect(child, parts);
    // Blocks (paragraphs, list items, table cells) are separated by a space, as lines are.
    if (block) parts.push(" ");
  }
}

function childrenAreInline(node: Nodes): boolean {
  return (
    node.type === "emphasis" ||
    node.type === "strong" ||
    node.type === "delete" ||
    node.type === "link" ||
    node.type === "linkReference" ||
    node.type === "paragraph" ||
    node.type === "heading" ||
    node.type === "tableCell"
  );
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
