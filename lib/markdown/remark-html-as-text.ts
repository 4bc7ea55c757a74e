import type { Root } from "mdast";
import { visit } from "unist-util-visit";

/**
 * A remark plugin: HTML someone typed into a message is shown as the text they typed, the
 * way chat clients show `<div>`, rather than rendered or silently dropped.
 */
export function remarkHtmlAsText() {
  return (tree: Root) => {
    visit(tree, "html", (node, index, parent) => {
      if (!parent || index === undefined) return;
      parent.children[index] = { type: "text", value: node.value, position: node.position };
    });
  };
}
