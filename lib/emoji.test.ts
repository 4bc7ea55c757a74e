import data from "emojibase-data/en/data.json";
import { describe, expect, it } from "vitest";
import { QUICK_REACTIONS } from "@/components/chat/message-bubble";
import { canonicalEmoji, isEmoji } from "./emoji";

const byLabel = (label: string) => data.find((e) => e.label === label)!;

describe("canonicalEmoji", () => {
  it("drops a variation selector that changes nothing", () => {
    expect(canonicalEmoji("\u{1F44D}\uFE0F")).toBe("\u{1F44D}");
    expect(canonicalEmoji(byLabel("thumbs down").emoji)).toBe("👎");
  });

  it("keeps the ones that turn text into emoji, also inside sequences", () => {
    for (const emoji of ["❤️", "☺️", "1️⃣", "❤️‍🔥", "🏳️‍🌈", "👁️‍🗨️", "🏴‍☠️"]) {
      expect(canonicalEmoji(emoji)).toBe(emoji);
    }
  });

  it("leaves skin tones, ZWJ sequences and flags alone", () => {
    for (const emoji of ["👋🏽", "🧑🏻‍❤️‍💋‍🧑🏼", "👩‍👩‍👧‍👦", "🇫🇷", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"]) {
      expect(canonicalEmoji(emoji)).toBe(emoji);
    }
  });

  it("makes the picker's form of every quick reaction match the quick reaction", () => {
    const labels = [
      "thumbs up",
      "red heart",
      "face with tears of joy",
      "face with open mouth",
      "crying face",
      "party popper",
    ];
    expect(labels.map((label) => canonicalEmoji(byLabel(label).emoji))).toEqual([
      ...QUICK_REACTIONS,
    ]);
  });

  it("is idempotent on the whole data set", () => {
    for (const entry of data) {
      for (const emoji of [entry.emoji, ...(entry.skins ?? []).map((s) => s.emoji)]) {
        const once = canonicalEmoji(emoji);
        expect(canonicalEmoji(once)).toBe(once);
      }
    }
  });
});

describe("isEmoji", () => {
  it("accepts every emoji the picker offers, in every skin tone, canonical or not", () => {
    const all = data.flatMap((e) => [e.emoji, ...(e.skins ?? []).map((s) => s.emoji)]);
    expect(all.length).toBeGreaterThan(3000);
    expect(all.filter((e) => !isEmoji(e) || !isEmoji(canonicalEmoji(e)))).toEqual([]);
  });

  it("refuses text, digits, spaces and text around an emoji", () => {
    for (const value of ["abc", "123", "#", "👍 ", " 👍", "a👍", "👍b", "<script>", "\u200D"]) {
      expect(isEmoji(value)).toBe(false);
    }
  });
});
