import { describe, expect, it } from "vitest";
import { detectAllowedType } from "./file-types";

/** The EBML header MediaRecorder writes at the start of a WebM recording. */
function webmHead(): Uint8Array {
  const element = (id: number[], body: number[]) => [...id, 0x80 | body.length, ...body];
  const children = [
    ...element([0x42, 0x86], [1]),
    ...element([0x42, 0xf7], [1]),
    ...element([0x42, 0xf2], [4]),
    ...element([0x42, 0xf3], [8]),
    ...element([0x42, 0x82], [...Buffer.from("webm")]),
    ...element([0x42, 0x87], [4]),
    ...element([0x42, 0x85], [2]),
  ];
  const segment = [0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
  return Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | children.length, ...children, ...segment]);
}

/** An Ogg page whose first packet is Opus's identification header. */
function oggOpusHead(): Uint8Array {
  const page = Buffer.alloc(28 + 19);
  page.write("OggS", 0, "latin1");
  page[5] = 2; // beginning of stream
  page[26] = 1; // one segment
  page[27] = 19;
  page.write("OpusHead", 28, "latin1");
  page[36] = 1; // version
  page[37] = 1; // one channel
  return page;
}

/** The ftyp box of an ISO media file with a generic brand, as Safari's recorder writes. */
function mp4Head(): Uint8Array {
  const box = Buffer.alloc(24);
  box.writeUInt32BE(24, 0);
  box.write("ftypisom", 4, "latin1");
  box.writeUInt32BE(0x200, 12);
  box.write("isomiso2", 16, "latin1");
  return box;
}

describe("detectAllowedType for recordings", () => {
  it("takes a WebM file declared or named as audio for audio", async () => {
    expect(await detectAllowedType(webmHead(), "audio/webm", "Voice message.weba")).toEqual({
      mime: "audio/webm",
      ext: "weba",
    });
    expect(await detectAllowedType(webmHead(), "audio/webm;codecs=opus", "recording.webm")).toEqual(
      { mime: "audio/webm", ext: "weba" },
    );
    expect(await detectAllowedType(webmHead(), "application/octet-stream", "memo.weba")).toEqual({
      mime: "audio/webm",
      ext: "weba",
    });
  });

  it("keeps any other WebM file video", async () => {
    expect(await detectAllowedType(webmHead(), "video/webm", "clip.webm")).toEqual({
      mime: "video/webm",
      ext: "webm",
    });
    expect(await detectAllowedType(webmHead(), "", "clip")).toEqual({
      mime: "video/webm",
      ext: "webm",
    });
  });

  it("takes an MP4 file declared or named as audio for audio, and keeps others video", async () => {
    expect(await detectAllowedType(mp4Head(), "audio/mp4", "Voice message.m4a")).toEqual({
      mime: "audio/mp4",
      ext: "m4a",
    });
    expect(await detectAllowedType(mp4Head(), "video/mp4", "holiday.mp4")).toEqual({
      mime: "video/mp4",
      ext: "mp4",
    });
  });

  it("accepts Opus in Ogg as Ogg audio", async () => {
    expect(await detectAllowedType(oggOpusHead(), "audio/ogg", "Voice message.ogg")).toEqual({
      mime: "audio/ogg",
      ext: "ogg",
    });
  });
});
