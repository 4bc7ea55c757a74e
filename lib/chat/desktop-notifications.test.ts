import { describe, expect, it } from "vitest";
import {
  notificationTag,
  notificationText,
  shouldNotify,
  type NotifyCandidate,
} from "./desktop-notifications";

const ME = { id: "0b7c2a4e-1d7f-4c1e-9a55-1f7c3e2d9a10" };
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

describe("shouldNotify", () => {
  it("notifies about someone else's message by default", () => {
    expect(shouldNotify(candidate({}))).toBe(true);
  });

  it("stays quiet with the preference off", () => {
    expect(shouldNotify(candidate({ enabled: false }))).toBe(false);
  });

  it("never notifies about my own, system or deleted messages", () => {
    expect(shouldNotify(candidate({ message: { senderId: ME.id } }))).toBe(false);
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
          message: { content: `<@${ME.id}> lunch?` },
        }),
      ),
    ).toBe(true);
    expect(shouldNotify(candidate({ defaultLevel: "mentions" }))).toBe(false);
  });

  it("counts @channel, and @here (the page is open), as mentions of me", () => {
    for (const everyone of ["<@channel>", "<@here>"]) {
      expect(
        shouldNotify(
          candidate({
            chat: { notificationLevel: "mentions" },
            message: { content: `${everyone} hi` },
          }),
        ),
      ).toBe(true);
    }
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
