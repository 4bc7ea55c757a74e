"use client";

import type { Element, ElementContent } from "hast";
import { useRouter } from "next/navigation";
import { createContext, memo, useContext, useMemo, type ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { remarkHtmlAsText } from "@/lib/markdown/remark-html-as-text";
import { isEveryoneMention, mentionLabel, mentionNames } from "@/lib/markdown/mentions";
import { remarkMentions } from "@/lib/markdown/remark-mentions";
import { CodeBlock } from "./code-block";

const REMARK_PLUGINS = [remarkGfm, remarkBreaks, remarkHtmlAsText, remarkMentions];

interface MentionContext {
  names: ReadonlyMap<string, string>;
  meId: string | null;
}
const Mentions = createContext<MentionContext>({ names: new Map(), meId: null });

/** A mention, named as it is now; one of the reader (or of everyone) stands out more. */
function Mention({ target }: { target: string }) {
  const { names, meId } = useContext(Mentions);
  const forMe = target === meId || isEveryoneMention(target);
  return (
    <span className="mention" data-for-me={forMe ? "" : undefined}>
      {mentionLabel(target, names)}
    </span>
  );
}

function textOf(nodes: ElementContent[]): string {
  return nodes
    .map((node) =>
      node.type === "text" ? node.value : node.type === "element" ? textOf(node.children) : "",
    )
    .join("");
}

/**
 * A link in a message. Every link is rendered the same on the server and in the browser (a
 * new tab, no referrer); a click on one to a page of Parley itself stays in the app instead,
 * as a client-side navigation.
 */
function MessageLink({ href, children }: { href: string; children: ReactNode }) {
  const router = useRouter();
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer nofollow ugc"
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
        const url = new URL(href, window.location.href);
        if (url.origin !== window.location.origin) return;
        event.preventDefault();
        router.push(`${url.pathname}${url.search}${url.hash}`);
      }}
    >
      {children}
    </a>
  );
}

const COMPONENTS: Components = {
  a({ href, children }) {
    if (!href) return <>{children}</>;
    return <MessageLink href={href}>{children}</MessageLink>;
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
  span({ node, children }) {
    const target = node?.properties.dataMention;
    return typeof target === "string" ? <Mention target={target} /> : <span>{children}</span>;
  },
};

/**
 * A message's text as Markdown (CommonMark with GitHub's tables, strikethrough, task lists
 * and bare links), every line break kept as typed. Raw HTML is shown as text and only safe
 * link protocols survive (react-markdown's `defaultUrlTransform`).
 */
export const MessageMarkdown = memo(function MessageMarkdown({
  text,
  mentions = [],
  meId = null,
}: {
  text: string;
  mentions?: readonly { id: string; name: string }[];
  meId?: string | null;
}) {
  const context = useMemo(() => ({ names: mentionNames(mentions), meId }), [mentions, meId]);
  return (
    <div className="message-markdown">
      <Mentions.Provider value={context}>
        <Markdown remarkPlugins={REMARK_PLUGINS} components={COMPONENTS}>
          {text}
        </Markdown>
      </Mentions.Provider>
    </div>
  );
});
