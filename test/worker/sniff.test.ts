import { describe, expect, it } from 'vitest';
import { simulatedMedia } from '../../src/providers/simulated/media.ts';
import { sniffFormat } from '../../src/storage/sniff.ts';

describe('output sniffing', () => {
  it('recognizes every format the simulated fleet makes from its bytes', async () => {
    for (const f of ['png', 'jpg', 'webp', 'mp4'] as const) expect(sniffFormat((await simulatedMedia(f, 'p', '1:1')).data)).toBe(f);
  });
  it('refuses what is not media: an HTML error page, JSON, an empty body', () => {
    const enc = new TextEncoder();
    expect(sniffFormat(enc.encode('<!doctype html><h1>502</h1>'))).toBeUndefined();
    expect(sniffFormat(enc.encode('{"error":"x"}'))).toBeUndefined();
    expect(sniffFormat(new Uint8Array())).toBeUndefined();
  });
});
