import type { Nodes } from "mdast";
import { parseMarkdown } from "./parse";

/** Longer addresses get no preview (the database holds to it too). */
export const MAX_PREVIEW_URL_LENGTH = 2048;

/**
 * The first web address a message links to, as its Markdown renders it (a bare address, an
 * autolink or `[text](url)`; not one inside code): the one its preview is of.
 */
export function firstLink(markdown: string): string | null {
  if (!/https?:\/\/|www\./i.test(markdown)) return null;
  const tree = parseMarkdown(markdown);
  return find(tree);
}

function find(node: Nodes): string | null {
  if (node.type === "link") {
    const url = node.url;
    if (/^https?:\/\//i.test(url) && url.length <= MAX_PREVIEW_URL_LENGTH) return url;
  }
  if (!("children" in node)) return null;
  for (const child of node.children) {
    const found = find(child);
    if (found) return found;
  }
  return null;
}
