import "server-only";

import { Parser } from "htmlparser2";

/** What a preview shows of a page. */
export interface PageMetadata {
  title: string;
  description: string | null;
  siteName: string | null;
}

/** The most a preview keeps of each (the database holds to the same). */
export const PREVIEW_LIMITS = { title: 300, description: 1000, siteName: 200 } as const;

/**
 * A page's title, description and site name from its `<head>`: Open Graph first, then the
 * Twitter card, then `<title>` and `<meta name="description">`. Null without a title. Text
 * is decoded, stripped of control characters, collapsed to one line and cut to a bound.
 */
export function pageMetadata(html: string): PageMetadata | null {
  const meta = new Map<string, string>();
  let title = "";
  let inTitle = false;
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (done) return;
        if (name === "body") done = true;
        else if (name === "title") inTitle = true;
        else if (name === "meta") {
          const key = (attributes.property ?? attributes.name ?? "").toLowerCase();
          const content = attributes.content;
          if (key && content !== undefined && !meta.has(key)) meta.set(key, content);
        }
      },
      ontext(text) {
        if (inTitle && !done) title += text;
      },
      onclosetag(name) {
        if (name === "title") inTitle = false;
        if (name === "head") done = true;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();

  const pick = (...keys: string[]) => {
    for (const key of keys) {
      const value = clean(meta.get(key) ?? "");
      if (value) return value;
    }
    return "";
  };
  const found = pick("og:title", "twitter:title") || clean(title);
  if (!found) return null;
  return {
    title: cut(found, PREVIEW_LIMITS.title),
    description:
      cut(
        pick("og:description", "twitter:description", "description"),
        PREVIEW_LIMITS.description,
      ) || null,
    siteName: cut(pick("og:site_name", "application-name"), PREVIEW_LIMITS.siteName) || null,
  };
}

// eslint-disable-next-line no-control-regex -- control characters are what it removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function clean(text: string): string {
  return text.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max
    ? `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`
    : text;
}
