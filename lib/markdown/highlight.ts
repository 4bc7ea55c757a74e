import { toJsxRuntime } from "hast-util-to-jsx-runtime";
import { common, createLowlight } from "lowlight";
import type { ReactNode } from "react";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";

// highlight.js's common languages; loaded only when a message holds a fenced code block
// that names one (components/chat/code-block.tsx imports this module on demand).
const lowlight = createLowlight(common);

/** The code as highlighted React elements, or null for a language Parley does not know. */
export function highlightCode(code: string, language: string): ReactNode | null {
  const name = language.toLowerCase();
  if (!lowlight.registered(name)) return null;
  // Typed as the global `JSX.Element`, which React 19's types no longer declare.
  return toJsxRuntime(lowlight.highlight(name, code), { Fragment, jsx, jsxs }) as ReactNode;
}
