// What a file really is, from its first bytes: providers have answered 200 with an HTML error
// page, or a JPEG where a PNG was asked. Stored keys and content types follow the bytes.

export type MediaFormat = 'png' | 'jpg' | 'webp' | 'mp4';

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

export function sniffFormat(b: Uint8Array): MediaFormat | undefined {
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 4) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpg';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') return 'mp4';
  return undefined;
}
