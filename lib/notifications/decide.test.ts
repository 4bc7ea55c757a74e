import { describe, expect, it } from "vitest";
import {
  decide,
  effectiveLevel,
  mentionOf,
  type MessageFacts,
  type RecipientFacts,
} from "./decide";
import { inQuietHours } from "./quiet-hours";

const ME = "0b7c2a4e-1d7f-4c1e-9a55-1f7c3e2d9a10";
const ANN = "7d0f6c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const NOW = new Date("2030-01-01T12:00:00Z");
const MESSAGE: MessageFacts = { type: "text", deleted: false, senderId: ANN };

const me = (overrides: Partial<RecipientFacts> = {}): RecipientFacts => ({
  userId: ME,
  chatType: "group",
  chatLevel: "all",
  mutedUntil: null,
  defaultLevel: "all",
  mention: null,
  alreadyRead: false,
  online: false,
  ...overrides,
});
const reason = (recipient: RecipientFacts, message = MESSAGE) => {
  const decision = decide(message, recipient, NOW);
  return decision.notify ? (decision.mentioned ? "mentioned" : "notify") : decision.reason;
};

describe("effectiveLevel", () => {
  it("lets the user's default stand in for a chat left at all, and keeps a chosen level", () => {
    expect(effectiveLevel("all", "mentions")).toBe("mentions");
    expect(effectiveLevel("all", "none")).toBe("none");
    expect(effectiveLevel("mentions", "all")).toBe("mentions");
    expect(effectiveLevel("none", "all")).toBe("none");
  });
});

describe("decide", () => {
  it("skips one's own, event lines and deleted messages", () => {
    expect(reason(me(), { ...MESSAGE, senderId: ME })).toBe("own");
    expect(reason(me(), { ...MESSAGE, senderId: null })).toBe("own");
    expect(reason(me(), { ...MESSAGE, type: "system" })).toBe("system");
    expect(reason(me(), { ...MESSAGE, deleted: true })).toBe("deleted");
  });

  it("honours a mute until it runs out, even for a mention", () => {
    const later = new Date(NOW.getTime() + 60_000);
    expect(reason(me({ mutedUntil: later, mention: "user" }))).toBe("muted");
    expect(reason(me({ mutedUntil: new Date(NOW.getTime() - 1) }))).toBe("notify");
  });

  it("honours the levels: mentions lets through direct chats and mentions, @here only online", () => {
    expect(reason(me({ chatLevel: "none", mention: "user" }))).toBe("level");
    expect(reason(me({ defaultLevel: "mentions" }))).toBe("level");
    expect(reason(me({ chatLevel: "mentions", chatType: "direct" }))).toBe("notify");
    expect(reason(me({ chatLevel: "mentions", mention: "user" }))).toBe("mentioned");
    expect(reason(me({ chatLevel: "mentions", mention: "channel" }))).toBe("mentioned");
    expect(reason(me({ chatLevel: "mentions", mention: "here" }))).toBe("level");
    expect(reason(me({ chatLevel: "mentions", mention: "here", online: true }))).toBe("mentioned");
  });

  it("skips what was read already", () => {
    expect(reason(me({ alreadyRead: true }))).toBe("read");
  });
});

describe("mentionOf", () => {
  it("prefers a mention by name over @channel and @here", () => {
    expect(mentionOf(`<@here> <@${ME}>`, ME)).toBe("user");
    expect(mentionOf("<@here> <@channel>", ME)).toBe("channel");
    expect(mentionOf(`<@${ANN}> <@here>`, ME)).toBe("here");
    expect(mentionOf(`<@${ANN}>`, ME)).toBeNull();
  });
});

describe("inQuietHours", () => {
  const at = (iso: string) => new Date(iso);
  it("reads the window in the user's zone, across midnight too", () => {
    const night = { start: "22:00", end: "07:00", timeZone: "Europe/Berlin" };
    expect(inQuietHours(night, at("2030-01-01T21:30:00Z"))).toBe(true); // 22:30 in Berlin
    expect(inQuietHours(night, at("2030-01-01T05:59:00Z"))).toBe(true); // 06:59
    expect(inQuietHours(night, at("2030-01-01T06:00:00Z"))).toBe(false); // 07:00
    expect(inQuietHours(night, at("2030-01-01T20:59:00Z"))).toBe(false); // 21:59
  });
  it("never holds an empty or malformed window, and reads an unknown zone as UTC", () => {
    expect(inQuietHours({ start: "09:00", end: "09:00", timeZone: "UTC" }, NOW)).toBe(false);
    expect(inQuietHours({ start: "9:00", end: "13:00", timeZone: "UTC" }, NOW)).toBe(false);
    expect(inQuietHours({ start: "11:00", end: "13:00", timeZone: "Mars/Olympus" }, NOW)).toBe(
      true,
    );
  });
});
