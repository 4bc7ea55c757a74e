import { crc32 } from "node:zlib";
import sharp from "sharp";

/**
 * A real 1 × 1 PNG whose header is rewritten to claim `width` × `height`: a few hundred bytes
 * that would decode to a bitmap of gigabytes (the decompression bomb an upload can be).
 */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = await sharp({
    create: { width: 1, height: 1, channels: 3, background: "#fff" },
  })
    .png()
    .toBuffer();
  // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), …, CRC over type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}
