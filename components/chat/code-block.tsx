"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useState, type ReactNode } from "react";

/**
 * A fenced code block: shown at once as plain text, then highlighted when it names a
 * language, with the highlighter loaded only for conversations that have code in them.
 */
export function CodeBlock({ code, language }: { code: string; language: string | null }) {
  const [highlighted, setHighlighted] = useState<ReactNode | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!language) return;
    let live = true;
    void import("@/lib/markdown/highlight").then(({ highlightCode }) => {
      if (live) setHighlighted(highlightCode(code, language));
    });
    return () => {
      live = false;
    };
  }, [code, language]);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <div className="code-block group/code relative">
      <pre tabIndex={0} aria-label={language ? `Code, ${language}` : "Code"}>
        <code className={language ? `hljs language-${language}` : "hljs"}>
          {highlighted ?? code}
        </code>
      </pre>
      <button
        type="button"
        aria-label={copied ? "Code copied" : "Copy code"}
        onClick={() => void navigator.clipboard.writeText(code).then(() => setCopied(true))}
        className="absolute top-1 right-1 rounded-md bg-background/80 p-1 text-muted-foreground opacity-0 group-hover/code:opacity-100 hover:text-foreground focus-visible:opacity-100 focus-visible:outline-2 focus-visible:outline-ring [@media(hover:none)]:opacity-100"
      >
        {copied ? (
          <Check aria-hidden="true" className="size-3.5" />
        ) : (
          <Copy aria-hidden="true" className="size-3.5" />
        )}
      </button>
    </div>
  );
}
