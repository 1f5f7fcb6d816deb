// Real, valid media for the simulated fleet. PNGs are drawn per request (a colour derived from
// the prompt, so different prompts give different images); JPEG, WebP and MP4 come from small
// fixtures made with ffmpeg and cwebp (see fixtures.ts).
import { base64ToBytes } from '../http.ts';
import { JPG_BASE64, MP4_BASE64, WEBP_BASE64 } from './fixtures.ts';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function zlibDeflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function colourFor(seed: string): [number, number, number] {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return [h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff];
}

/** A width×height RGB PNG: a vertical gradient of `rgb`. */
export async function drawPng(width: number, height: number, rgb: [number, number, number]): Promise<Uint8Array> {
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    raw[row] = 0; // filter: none
    const shade = 0.5 + (0.5 * y) / height;
    for (let x = 0; x < width; x++) {
      raw.set([Math.round(rgb[0] * shade), Math.round(rgb[1] * shade), Math.round(rgb[2] * shade)], row + 1 + x * 3);
    }
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', await zlibDeflate(raw)),
    chunk('IEND', new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const RATIO_SIZES: Record<string, [number, number]> = {
  '1:1': [64, 64], '16:9': [96, 54], '9:16': [54, 96], '4:3': [80, 60], '3:4': [60, 80],
  '3:2': [90, 60], '2:3': [60, 90], '21:9': [105, 45], '9:21': [45, 105],
};

export interface SimulatedFile {
  data: Uint8Array;
  content_type: string;
}

// Drawing and deflating a PNG costs ~1.2 ms of CPU; the fleet draws from a palette of 64
// colours per size and keeps what it drew, so a busy simulated provider costs almost nothing.
const PALETTE_SIZE = 64;
const pngCache = new Map<string, Promise<Uint8Array>>();

export async function simulatedMedia(format: string, prompt: string, ratio: string | undefined): Promise<SimulatedFile> {
  switch (format) {
    case 'png': {
      const [w, h] = RATIO_SIZES[ratio ?? '1:1'] ?? [64, 64];
      const [r, g, b] = colourFor(prompt);
      const shade = (r + g + b) % PALETTE_SIZE;
      const key = `${w}x${h}:${shade}`;
      let png = pngCache.get(key);
      if (!png) {
        png = drawPng(w, h, colourFor(`palette-${shade}`));
        pngCache.set(key, png);
      }
      return { data: await png, content_type: 'image/png' };
    }
    case 'jpg':
      return { data: base64ToBytes(JPG_BASE64), content_type: 'image/jpeg' };
    case 'webp':
      return { data: base64ToBytes(WEBP_BASE64), content_type: 'image/webp' };
    case 'mp4':
      return { data: base64ToBytes(MP4_BASE64), content_type: 'video/mp4' };
    default:
      throw new Error(`the simulated fleet cannot make ${format}`);
  }
}
