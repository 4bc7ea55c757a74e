import { describe, expect, it } from "vitest";
import {
  chooseRecordingType,
  formatClock,
  isVoiceMessageName,
  microphoneProblem,
  recordingExtension,
  recordingUploadType,
  spokenDuration,
  voiceMessageFileName,
} from "./voice-recording";

describe("chooseRecordingType", () => {
  it("prefers Opus in WebM", () => {
    expect(chooseRecordingType(() => true)).toBe("audio/webm;codecs=opus");
  });

  it("falls back to the first container the browser can record", () => {
    expect(chooseRecordingType((type) => type === "audio/ogg")).toBe("audio/ogg");
    expect(chooseRecordingType((type) => type.startsWith("audio/mp4"))).toBe("audio/mp4");
  });

  it("is null when the browser names none of them", () => {
    expect(chooseRecordingType((type) => type === "audio/wav")).toBeNull();
  });
});

describe("the recording's file", () => {
  it("takes the extension and upload type of its container, parameters aside", () => {
    expect(recordingExtension("audio/webm;codecs=opus")).toBe("weba");
    expect(recordingExtension("audio/ogg; codecs=opus")).toBe("ogg");
    expect(recordingExtension("audio/mp4")).toBe("m4a");
    expect(recordingUploadType("audio/webm;codecs=opus")).toBe("audio/webm");
    expect(recordingUploadType("Audio/MP4;codecs=mp4a.40.2")).toBe("audio/mp4");
  });

  it("is WebM audio when the browser did not say what it recorded", () => {
    expect(recordingExtension("")).toBe("weba");
    expect(recordingUploadType("")).toBe("audio/webm");
  });

  it("is named after when it was recorded, in the sender's zone, without colons", () => {
    const at = new Date("2026-12-07T09:31:05Z");
    expect(voiceMessageFileName(at, "UTC", "audio/webm;codecs=opus")).toBe(
      "Voice message 2026-12-07 09.31.05.weba",
    );
    expect(voiceMessageFileName(at, "Europe/Berlin", "audio/mp4")).toBe(
      "Voice message 2026-12-07 10.31.05.m4a",
    );
    // Past midnight in Tokyo: the date is the sender's, not UTC's.
    expect(voiceMessageFileName(new Date("2026-12-07T15:00:00Z"), "Asia/Tokyo", "")).toBe(
      "Voice message 2026-12-08 00.00.00.weba",
    );
  });
});

describe("isVoiceMessageName", () => {
  it("knows the names Parley gives recordings, and only those", () => {
    const at = new Date("2026-12-07T09:31:05Z");
    expect(isVoiceMessageName(voiceMessageFileName(at, "UTC", "audio/ogg"))).toBe(true);
    expect(isVoiceMessageName("Voice message.mp3")).toBe(false);
    expect(isVoiceMessageName("song.weba")).toBe(false);
  });
});

describe("formatClock", () => {
  it("writes minutes and seconds, and hours only when there are any", () => {
    expect(formatClock(0)).toBe("00:00");
    expect(formatClock(7.9)).toBe("00:07");
    expect(formatClock(299)).toBe("04:59");
    expect(formatClock(3723)).toBe("1:02:03");
  });

  it("reads an unknown length as zero", () => {
    expect(formatClock(Number.POSITIVE_INFINITY)).toBe("00:00");
    expect(formatClock(Number.NaN)).toBe("00:00");
    expect(formatClock(-3)).toBe("00:00");
  });
});

describe("spokenDuration", () => {
  it("says the length in words", () => {
    expect(spokenDuration(1)).toBe("1 second");
    expect(spokenDuration(42.5)).toBe("42 seconds");
    expect(spokenDuration(60)).toBe("1 minute");
    expect(spokenDuration(125)).toBe("2 minutes 5 seconds");
    expect(spokenDuration(Number.POSITIVE_INFINITY)).toBe("0 seconds");
  });
});

describe("microphoneProblem", () => {
  it("tells a refusal, a missing device and a busy one apart", () => {
    expect(microphoneProblem(new DOMException("", "NotAllowedError"))).toMatch(/allow it/);
    expect(microphoneProblem(new DOMException("", "NotFoundError"))).toBe("No microphone found.");
    expect(microphoneProblem(new DOMException("", "NotReadableError"))).toMatch(/in use/);
    expect(microphoneProblem(new Error("boom"))).toBe("Parley could not open your microphone.");
    expect(microphoneProblem("not an error")).toBe("Parley could not open your microphone.");
  });
});
