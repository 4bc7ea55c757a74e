import { describe, expect, it } from "vitest";
import {
  effectiveLevel,
  mentionsName,
  notificationTag,
  notificationText,
  shouldNotify,
  type NotifyCandidate,
} from "./desktop-notifications";

const ME = { id: "me", name: "Ben Stone" };
const NOW = new Date("2030-01-01T12:00:00Z");

function candidate(overrides: {
  enabled?: boolean;
  defaultLevel?: NotifyCandidate["defaultLevel"];
  chat?: Partial<NotifyCandidate["chat"]>;
  message?: Partial<NotifyCandidate["message"]>;
}): NotifyCandidate {
  return {
    enabled: overrides.enabled ?? true,
    defaultLevel: overrides.defaultLevel ?? "all",
    chat: { type: "group", notificationLevel: "all", mutedUntil: null, ...overrides.chat },
    message: {
      type: "text",
      content: "Lunch?",
      deleted: false,
      senderId: "ann",
      ...overrides.message,
    },
    me: ME,
    now: NOW,
  };
}

describe("effectiveLevel", () => {
  it("lets the user's default stand in for a chat left at all", () => {
    expect(effectiveLevel("all", "mentions")).toBe("mentions");
    expect(effectiveLevel("all", "none")).toBe("none");
    expect(effectiveLevel("all", "all")).toBe("all");
  });

  it("keeps a level chosen for the chat", () => {
    expect(effectiveLevel("mentions", "all")).toBe("mentions");
    expect(effectiveLevel("mentions", "none")).toBe("mentions");
    expect(effectiveLevel("none", "all")).toBe("none");
  });
});

describe("mentionsName", () => {
  it("finds @name anywhere, in any case", () => {
    expect(mentionsName("hey @Ben Stone, look", "Ben Stone")).toBe(true);
    expect(mentionsName("@ben stone", "Ben Stone")).toBe(true);
  });

  it("wants the whole name, ending there", () => {
    expect(mentionsName("hey Ben Stone", "Ben Stone")).toBe(false);
    expect(mentionsName("@Ben", "Ben Stone")).toBe(false);
    expect(mentionsName("@Ben Stoneman", "Ben Stone")).toBe(false);
    expect(mentionsName("@Ann", "Anna")).toBe(false);
  });

  it("reads names with special characters literally", () => {
    expect(mentionsName("@J.R. (Bob)!", "J.R. (Bob)")).toBe(true);
    expect(mentionsName("@JxRx (Bob)", "J.R. (Bob)")).toBe(false);
    expect(mentionsName("@ anyone", " ")).toBe(false);
  });
});

describe("shouldNotify", () => {
  it("notifies about someone else's message by default", () => {
    expect(shouldNotify(candidate({}))).toBe(true);
  });

  it("stays quiet with the preference off", () => {
    expect(shouldNotify(candidate({ enabled: false }))).toBe(false);
  });

  it("never notifies about my own, system or deleted messages", () => {
    expect(shouldNotify(candidate({ message: { senderId: "me" } }))).toBe(false);
    expect(shouldNotify(candidate({ message: { senderId: null } }))).toBe(false);
    expect(shouldNotify(candidate({ message: { type: "system" } }))).toBe(false);
    expect(shouldNotify(candidate({ message: { deleted: true } }))).toBe(false);
  });

  it("honours a mute until it runs out", () => {
    const later = new Date(NOW.getTime() + 60_000);
    const earlier = new Date(NOW.getTime() - 60_000);
    expect(shouldNotify(candidate({ chat: { mutedUntil: later } }))).toBe(false);
    expect(shouldNotify(candidate({ chat: { mutedUntil: earlier } }))).toBe(true);
  });

  it("honours the level: none, and mentions in groups", () => {
    expect(shouldNotify(candidate({ chat: { notificationLevel: "none" } }))).toBe(false);
    expect(shouldNotify(candidate({ defaultLevel: "none" }))).toBe(false);
    expect(shouldNotify(candidate({ chat: { notificationLevel: "mentions" } }))).toBe(false);
    expect(
      shouldNotify(
        candidate({
          chat: { notificationLevel: "mentions" },
          message: { content: "@Ben Stone lunch?" },
        }),
      ),
    ).toBe(true);
    expect(shouldNotify(candidate({ defaultLevel: "mentions" }))).toBe(false);
  });

  it("counts every direct message as a mention", () => {
    expect(
      shouldNotify(candidate({ chat: { type: "direct", notificationLevel: "mentions" } })),
    ).toBe(true);
    expect(shouldNotify(candidate({ chat: { type: "direct" }, defaultLevel: "mentions" }))).toBe(
      true,
    );
  });
});

describe("notificationText", () => {
  it("names the sender, and the group in a group", () => {
    const message = { type: "text" as const, content: "Hi\n\nthere" };
    expect(
      notificationText({ chat: { type: "direct", title: "Ann" }, senderName: "Ann", message }),
    ).toEqual({ title: "Ann", body: "Hi there" });
    expect(
      notificationText({ chat: { type: "group", title: "Team" }, senderName: "Ann", message }),
    ).toEqual({ title: "Ann in Team", body: "Hi there" });
  });

  it("stands in for attachments and shortens long text", () => {
    const chat = { type: "direct" as const, title: "Ann" };
    expect(
      notificationText({ chat, senderName: "Ann", message: { type: "image", content: "" } }).body,
    ).toBe("Photo");
    const long = notificationText({
      chat,
      senderName: null,
      message: { type: "text", content: "x".repeat(500) },
    });
    expect(long.title).toBe("Someone");
    expect(long.body).toHaveLength(140);
    expect(long.body.endsWith("…")).toBe(true);
  });

  it("tags by chat", () => {
    expect(notificationTag("c1")).toBe("parley-chat:c1");
  });
});
