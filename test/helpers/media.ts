// Checks that bytes are the media they claim to be, by parsing their structure.
import { inflateSync } from 'node:zlib';

/** Parses a PNG: signature, IHDR, CRC-less chunk walk, and inflates IDAT to the expected size. */
export function parsePng(bytes: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(bytes);
  if (!b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('not a PNG signature');
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < b.length) {
    const len = b.readUInt32BE(offset);
    const type = b.toString('latin1', offset + 4, offset + 8);
    const data = b.subarray(offset + 8, offset + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + len;
    if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== height * (1 + width * 3)) throw new Error('PNG pixel data has the wrong size');
  return { width, height };
}

/** Walks the top-level MP4 boxes; a playable file has ftyp, moov and mdat. */
export function mp4Boxes(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes);
  const boxes: string[] = [];
  let offset = 0;
  while (offset + 8 <= b.length) {
    const size = b.readUInt32BE(offset);
    boxes.push(b.toString('latin1', offset + 4, offset + 8));
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}
