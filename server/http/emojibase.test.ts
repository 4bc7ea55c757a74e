import { describe, expect, it } from "vitest";
import { EMOJIBASE_VERSION } from "@/lib/emojibase";
import { serveEmojibase } from "./emojibase";

const url = (path: string) => `http://localhost/emojibase/${path}`;

function get(params: { version?: string; locale?: string; file: string }, init?: RequestInit) {
  const version = params.version ?? EMOJIBASE_VERSION;
  const locale = params.locale ?? "en";
  return serveEmojibase(new Request(url(`${version}/${locale}/${params.file}`), init), {
    version,
    locale,
    file: params.file,
  });
}

describe("serveEmojibase", () => {
  it("serves the emoji data with an ETag and a long immutable cache", async () => {
    const response = get({ file: "data.json" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("etag")).toMatch(/^"[\w-]{32}"$/);
    const emojis = (await response.json()) as { emoji: string; label: string }[];
    expect(emojis.find((e) => e.label === "rocket")?.emoji).toBe("🚀");
  });

  it("serves the messages with their own ETag", async () => {
    const response = get({ file: "messages.json" });
    expect(response.status).toBe(200);
    const messages = (await response.json()) as { groups: { key: string }[] };
    expect(messages.groups.map((g) => g.key)).toContain("smileys-emotion");
    expect(response.headers.get("etag")).not.toBe(get({ file: "data.json" }).headers.get("etag"));
  });

  it("answers HEAD with the headers only, for the picker's revalidation", async () => {
    const head = get({ file: "data.json" }, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(get({ file: "data.json" }).headers.get("etag"));
    expect(await head.text()).toBe("");
  });

  it("answers a matching If-None-Match with 304", async () => {
    const etag = get({ file: "data.json" }).headers.get("etag")!;
    const response = get({ file: "data.json" }, { headers: { "If-None-Match": `W/${etag}` } });
    expect(response.status).toBe(304);
    expect(response.headers.get("etag")).toBe(etag);
    expect(await response.text()).toBe("");
    expect(get({ file: "data.json" }, { headers: { "If-None-Match": '"old"' } }).status).toBe(200);
  });

  it("refuses anything outside the allow-list", () => {
    for (const params of [
      { file: "compact.json" },
      { file: "../package.json" },
      { file: "data.json", locale: "de" },
      { file: "data.json", locale: ".." },
      { file: "data.json", version: "0.0.0" },
      { file: "constructor" },
      { file: "data.json", locale: "__proto__" },
    ]) {
      const response = get(params);
      expect(response.status, JSON.stringify(params)).toBe(404);
      expect(response.headers.get("cache-control")).toBeNull();
    }
  });
});
