import { describe, expect, it } from "vitest";
import { describeCallLine, formatCallDuration } from "./call-text";

describe("call event lines", () => {
  it("say who started which call, and how it ended", () => {
    expect(describeCallLine({ kind: "call_started", callKind: "video" }, "Ann")).toBe(
      "Ann started a video call",
    );
    expect(describeCallLine({ kind: "call_started", callKind: "audio" }, "You")).toBe(
      "You started an audio call",
    );
    expect(describeCallLine({ kind: "call_missed", callKind: "audio" }, "Ann")).toBe(
      "Missed audio call",
    );
    expect(describeCallLine({ kind: "call_declined", callKind: "video" }, "Ann")).toBe(
      "Video call declined",
    );
    expect(
      describeCallLine({ kind: "call_ended", callKind: "video", durationSeconds: 125 }, "Ann"),
    ).toBe("Video call ended · 2:05");
    expect(describeCallLine({ kind: "member_left" }, "Ann")).toBeNull();
  });

  it("formats a duration as a clock", () => {
    expect(formatCallDuration(0)).toBe("0:00");
    expect(formatCallDuration(42.9)).toBe("0:42");
    expect(formatCallDuration(725)).toBe("12:05");
    expect(formatCallDuration(3729)).toBe("1:02:09");
  });
});
