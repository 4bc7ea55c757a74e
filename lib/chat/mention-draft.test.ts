import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mentionTargets } from "@/lib/markdown/mentions";
import {
  activeMentionQuery,
  decodeMentions,
  encodeMentions,
  insertMention,
  mentionSuggestions,
} from "./mention-draft";

const ann = { id: "0b7c2a4e-1d7f-4c1e-9a55-1f7c3e2d9a10", name: "Ann" };
const annLee = { id: "7d0f6c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6", name: "Ann Lee" };
const bob = { id: "2c9e1f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f", name: "Bob Stone" };

describe("activeMentionQuery", () => {
  it("finds the @word before the caret, at the start or after a space", () => {
    expect(activeMentionQuery("hi @an", 6)).toEqual({ start: 3, query: "an" });
    expect(activeMentionQuery("@", 1)).toEqual({ start: 0, query: "" });
    expect(activeMentionQuery("(@bo", 4)).toEqual({ start: 1, query: "bo" });
  });
  it("ignores e-mail addresses, finished words and text after the caret", () => {
    expect(activeMentionQuery("mail ann@example.com", 20)).toBeNull();
    expect(activeMentionQuery("hi @ann there", 13)).toBeNull();
    expect(activeMentionQuery("hi there", 8)).toBeNull();
  });
});

describe("mentionSuggestions", () => {
  it("ranks whole-name prefixes before word prefixes, and offers everyone only if allowed", () => {
    const people = [bob, annLee, ann];
    const names = (q: string, everyone: boolean) =>
      mentionSuggestions(q, people, { everyone }).map((s) =>
        s.kind === "person" ? s.person.name : `@${s.target}`,
      );
    expect(names("an", false)).toEqual(["Ann", "Ann Lee"]);
    expect(names("st", false)).toEqual(["Bob Stone"]);
    expect(names("", true)).toEqual(["Ann", "Ann Lee", "Bob Stone", "@channel", "@here"]);
    expect(names("he", true)).toEqual(["@here"]);
    expect(names("he", false)).toEqual([]);
  });
});

describe("encode and decode", () => {
  it("turns picked names into tokens, the longest name first, and back", () => {
    const typed = insertMention("hi @an", { start: 3, query: "an" }, "Ann Lee");
    expect(typed).toEqual({ text: "hi @Ann Lee ", caret: 12 });
    const text = `${typed.text}and @Ann, not @Anna or ann@x.io; @here`;
    const encoded = encodeMentions(text, [ann, annLee], { everyone: true });
    expect(encoded).toBe(`hi <@${annLee.id}> and <@${ann.id}>, not @Anna or ann@x.io; <@here>`);
    expect(encodeMentions("@here", [], { everyone: false })).toBe("@here");
    expect(decodeMentions(encoded, [ann, annLee])).toEqual({
      text: "hi @Ann Lee and @Ann, not @Anna or ann@x.io; @here",
      picked: [annLee, ann],
    });
  });

  it("round-trips any text of picked names: each name mentioned is one token of its id", () => {
    const people = [ann, annLee, bob];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...people), fc.constantFrom(" ", "x", ", ", "\n")), {
          maxLength: 12,
        }),
        (parts) => {
          const text = parts.map((p) => (typeof p === "string" ? p : `@${p.name} `)).join("");
          const encoded = encodeMentions(text, people, { everyone: false });
          const mentioned = new Set(parts.filter((p) => typeof p !== "string").map((p) => p.id));
          expect(new Set(mentionTargets(encoded))).toEqual(mentioned);
          expect(decodeMentions(encoded, people).text).toBe(text);
        },
      ),
    );
  });
});
