"use client";

import type { Element, ElementContent } from "hast";
import Link from "next/link";
import { memo } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { remarkHtmlAsText } from "@/lib/markdown/remark-html-as-text";
import { CodeBlock } from "./code-block";

const REMARK_PLUGINS = [remarkGfm, remarkBreaks, remarkHtmlAsText];

function textOf(nodes: ElementContent[]): string {
  return nodes
    .map((node) =>
      node.type === "text" ? node.value : node.type === "element" ? textOf(node.children) : "",
    )
    .join("");
}

/** A link to a page of Parley itself stays in the tab; any other opens a new one. */
function sameOriginPath(href: string): string | null {
  if (typeof window === "undefined") return null;
  try {
    const url = new URL(href, window.location.origin);
    return url.origin === window.location.origin ? `${url.pathname}${url.search}${url.hash}` : null;
  } catch {
    return null;
  }
}

const COMPONENTS: Components = {
  a({ href, children }) {
    if (!href) return <>{children}</>;
    const local = sameOriginPath(href);
    if (local) return <Link href={local}>{children}</Link>;
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow ugc">
        {children}
      </a>
    );
  },
  // Pictures from elsewhere are not loaded into a conversation (they would tell a third
  // party who read it, and when): the alt text links to the address instead.
  img({ src, alt }) {
    const label = alt || (typeof src === "string" ? src : "image");
    return typeof src === "string" && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow ugc">
        {label}
      </a>
    ) : (
      <>{label}</>
    );
  },
  // A heading in a chat message is emphasis, not a document outline.
  h1: ({ children }) => <p className="md-heading">{children}</p>,
  h2: ({ children }) => <p className="md-heading">{children}</p>,
  h3: ({ children }) => <p className="md-heading">{children}</p>,
  h4: ({ children }) => <p className="md-heading">{children}</p>,
  h5: ({ children }) => <p className="md-heading">{children}</p>,
  h6: ({ children }) => <p className="md-heading">{children}</p>,
  pre({ node }) {
    const code = node?.children.find(
      (child): child is Element => child.type === "element" && child.tagName === "code",
    );
    const classes = code?.properties.className;
    const languageClass = Array.isArray(classes)
      ? classes.find((name) => String(name).startsWith("language-"))
      : undefined;
    const language = languageClass ? String(languageClass).slice("language-".length) : null;
    const text = code ? textOf(code.children).replace(/\n$/, "") : "";
    return <CodeBlock code={text} language={language} />;
  },
  table: ({ children }) => (
    <div className="md-table">
      <table>{children}</table>
    </div>
  ),
  input: ({ checked }) => <input type="checkbox" checked={Boolean(checked)} readOnly disabled />,
};

/**
 * A message's text as Markdown (CommonMark with GitHub's tables, strikethrough, task lists
 * and bare links), every line break kept as typed. Raw HTML is shown as text and only safe
 * link protocols survive (react-markdown's `defaultUrlTransform`).
 */
export const MessageMarkdown = memo(function MessageMarkdown({ text }: { text: string }) {
  return (
    <div className="message-markdown">
      <Markdown remarkPlugins={REMARK_PLUGINS} components={COMPONENTS}>
        {text}
      </Markdown>
    </div>
  );
});
