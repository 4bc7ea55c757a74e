import type { PhrasingContent, Root, Text } from "mdast";
import { SKIP, visit } from "unist-util-visit";
import { mentionPattern } from "./mentions";

/**
 * A remark plugin: each `<@…>` token in the text of a message becomes an element
 * `<span data-mention="target">`, which the renderer shows with the current name. Tokens in
 * code stay as typed, as everything in code does.
 */
export function remarkMentions() {
  return (tree: Root) => {
    visit(tree, "text", (node: Text, index, parent) => {
      if (!parent || index === undefined || !node.value.includes("<@")) return;
      const parts: PhrasingContent[] = [];
      let last = 0;
      for (const match of node.value.matchAll(mentionPattern())) {
        const start = match.index;
        if (start > last) parts.push({ type: "text", value: node.value.slice(last, start) });
        const target = match[1]!.toLowerCase();
        parts.push({
          type: "text",
          value: target,
          data: { hName: "span", hProperties: { dataMention: target } },
        });
        last = start + match[0].length;
      }
      if (parts.length === 0) return;
      if (last < node.value.length) parts.push({ type: "text", value: node.value.slice(last) });
      parent.children.splice(index, 1, ...parts);
      return [SKIP, index + parts.length];
    });
  };
}
