import { describe, expect, it } from "vitest";
import { deliveryChannels, type ChannelFacts } from "./channels";

const NOW = new Date("2030-01-01T12:00:00Z");
const facts = (overrides: Partial<ChannelFacts> = {}): ChannelFacts => ({
  email: true,
  push: true,
  pushDevices: 1,
  online: false,
  quietHours: null,
  recentPushes: 0,
  pushesPerMinute: 10,
  ...overrides,
});

describe("deliveryChannels", () => {
  it("pushes to someone away with a device, and holds the message for their digest", () => {
    expect(deliveryChannels(facts(), NOW)).toEqual({ digest: true, push: "send" });
  });

  it("does not push to someone online, in quiet hours, past the minute's pushes, or without push", () => {
    const push = (f: Partial<ChannelFacts>) => deliveryChannels(facts(f), NOW).push;
    expect(push({ online: true })).toBe("online");
    expect(push({ quietHours: { start: "11:30", end: "12:30", timeZone: "UTC" } })).toBe("quiet");
    expect(push({ quietHours: { start: "12:30", end: "11:30", timeZone: "UTC" } })).toBe("send");
    expect(push({ recentPushes: 10 })).toBe("throttled");
    expect(push({ recentPushes: 9 })).toBe("send");
    expect(push({ push: false })).toBe("off");
    expect(push({ pushDevices: 0 })).toBe("off");
  });

  it("holds for the digest only with e-mail on", () => {
    expect(deliveryChannels(facts({ email: false }), NOW).digest).toBe(false);
  });
});
