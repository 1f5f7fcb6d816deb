// Every bad input of issue 4, each its own test: a structured error with a stable code, and
// nothing created or charged.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPublicHttpsUrl } from '../../src/catalog/request-schema.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { type Counts, errorOf, rowCounts } from './counts.ts';

let s: TestStack;
let before: Counts;
beforeAll(async () => {
  s = await startTestStack({ credits: 10, worker: false, maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await s.close();
});
beforeEach(async () => {
  before = await rowCounts(s);
});

const IMAGE = '/v1/generate/image/bfl/flux-schnell';
const I2I = '/v1/generate/image/bfl/flux-2-pro'; // input files allowed, at most 3
const VIDEO = '/v1/generate/video/google/veo-2'; // durations 5-8, one input file

async function rejected(method: string, path: string, init: Parameters<TestStack['request']>[2], status: number, code: string) {
  const r = await s.request(method, path, init);
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  const e = errorOf(r.json);
  expect(e.code).toBe(code);
  expect(e.retryable).toBe(false);
  expect(await rowCounts(s)).toEqual(before);
  return e;
}

describe('bad request bodies on generate', () => {
  it('malformed JSON is BSE2001 (400)', async () => {
    await rejected('POST', IMAGE, { body: '{"generation_prompt": "x",' }, 400, 'BSE2001');
  });

  it('a JSON array or scalar body is BSE2001', async () => {
    await rejected('POST', IMAGE, { body: '["generation_prompt"]' }, 400, 'BSE2001');
    await rejected('POST', IMAGE, { body: '"x"' }, 400, 'BSE2001');
  });

  it('a body that is not UTF-8 is BSE2001', async () => {
    const r = await fetch(`${s.url}${IMAGE}`, { method: 'POST', headers: { authorization: `Bearer ${s.apiKey}`, 'content-type': 'application/json' }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(r.status).toBe(400);
    expect(errorOf(await r.json()).code).toBe('BSE2001');
  });

  it('a body that is not application/json is BSE2002 (415)', async () => {
    await rejected('POST', IMAGE, { body: 'generation_prompt=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'BSE2002');
  });

  it('a wrong type ("5" for a number) is BSE2003 naming the field', async () => {
    const e = await rejected('POST', IMAGE, { body: { generation_prompt: 'x', generation_output_number: '5' } }, 422, 'BSE2003');
    expect(e.details?.issues).toEqual([expect.objectContaining({ field: 'generation_output_number' })]);
  });

  it('a string duration ("5") on the video route is BSE2003 naming generation_duration', async () => {
    const e = await rejected('POST', VIDEO, { body: { generation_prompt: 'x', generation_duration: '5' } }, 422, 'BSE2003');
    expect(e.message).toContain('generation_duration');
  });

  it('null where absent is meant is rejected, not defaulted', async () => {
    const e = await rejected('POST', IMAGE, { body: { generation_prompt: 'x', generation_ratio: null } }, 422, 'BSE2003');
    expect(e.details?.issues).toEqual([expect.objectContaining({ field: 'generation_ratio' })]);
  });

  it('a null model-specific field is rejected', async () => {
    await rejected('POST', IMAGE, { body: { generation_prompt: 'x', seed: null } }, 422, 'BSE2003');
  });

  it('an unknown field is BSE2003 naming it', async () => {
    const e = await rejected('POST', IMAGE, { body: { generation_prompt: 'x', generation_colour: 'red' } }, 422, 'BSE2003');
    expect(e.message).toContain('generation_colour');
  });

  it('every problem is reported at once, each with its field', async () => {
    const e = await rejected('POST', IMAGE, { body: { generation_prompt: '', generation_ratio: '7:5', generation_output_number: 99, extra: 1 } }, 422, 'BSE2003');
    const fields = (e.details?.issues as { field: string }[]).map((i) => i.field).sort();
    expect(fields).toEqual(['extra', 'generation_output_number', 'generation_prompt', 'generation_ratio']);
  });

  it('a missing prompt is BSE2003 naming generation_prompt', async () => {
    const e = await rejected('POST', IMAGE, { body: {} }, 422, 'BSE2003');
    expect(e.message).toContain('generation_prompt');
  });

  it('a prompt over 2000 characters is BSE2003', async () => {
    await rejected('POST', IMAGE, { body: { generation_prompt: 'p'.repeat(2001) } }, 422, 'BSE2003');
  });

  it('a prompt with a NUL character is BSE2003, not a database error', async () => {
    await rejected('POST', IMAGE, { body: '{"generation_prompt":"a\\u0000b"}' }, 422, 'BSE2003');
  });

  it('a prompt with an unpaired surrogate is BSE2003, not a database error', async () => {
    await rejected('POST', IMAGE, { body: '{"generation_prompt":"a\\ud800b"}' }, 422, 'BSE2003');
  });

  it('more input files than the model allows is BSE2003 naming generation_input_file', async () => {
    const files = Array.from({ length: 4 }, (_, i) => `https://example.com/${i}.png`);
    const e = await rejected('POST', I2I, { body: { generation_prompt: 'x', generation_input_file: files } }, 422, 'BSE2003');
    expect(e.message).toContain('generation_input_file');
  });

  it('input files on a model without input files is BSE2003 (unknown field)', async () => {
    await rejected('POST', IMAGE, { body: { generation_prompt: 'x', generation_input_file: ['https://example.com/a.png'] } }, 422, 'BSE2003');
  });

  it.each([
    'http://example.com/a.png',
    'https://127.0.0.1/a.png',
    'https://2130706433/a.png',
    'https://0x7f.0.0.1/a.png',
    'https://127.1/a.png',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.8/a.png',
    'https://[::1]/a.png',
    'https://[::ffff:127.0.0.1]/a.png',
    'https://[::ffff:a9fe:a9fe]/a.png',
    'https://[64:ff9b::7f00:1]/a.png',
    'https://[2002:7f00:1::]/a.png',
    'https://[fd00::1]/a.png',
    'https://[fe80::1]/a.png',
    'https://localhost/a.png',
    'https://localhost./a.png',
    'https://metadata.google.internal/a.png',
    'https://user:pw@example.com/a.png',
    'file:///etc/passwd',
  ])('the input URL %s is rejected (https to a public host only)', async (url) => {
    expect(isPublicHttpsUrl(url)).toBe(false);
    const e = await rejected('POST', I2I, { body: { generation_prompt: 'x', generation_input_file: [url] } }, 422, 'BSE2003');
    expect(e.message).toContain('generation_input_file.0');
  });

  it('public https URLs (names, public IPv4 and IPv6) are accepted', () => {
    for (const url of ['https://example.com/a.png', 'https://8.8.8.8/a.png', 'https://[2606:4700::1111]/a.png', 'https://[::ffff:808:808]/a.png']) {
      expect(isPublicHttpsUrl(url), url).toBe(true);
    }
  });

  it('a private end-frame URL on the video route is rejected naming generation_input_file_last_content', async () => {
    const r = await s.request('POST', '/v1/generate/video/bytedance/seedance-1-pro', {
      body: { generation_prompt: 'x', generation_duration: 5, generation_input_file_last_content: 'https://192.168.1.1/end.png' },
    });
    const e = errorOf(r.json);
    if (e.code === 'BSE2003') expect(e.message).toContain('generation_input_file_last_content');
    else throw new Error(`expected BSE2003, got ${JSON.stringify(r.json)}`);
  });

  it('a video model on the image route is BSE2005 naming the missing generation_duration', async () => {
    const e = await rejected('POST', '/v1/generate/image/google/veo-2', { body: { generation_prompt: 'x' } }, 400, 'BSE2005');
    expect(e.message).toContain('generation_duration is required');
  });

  it('an image model on the video route is BSE2005 naming the extra generation_duration', async () => {
    const e = await rejected('POST', '/v1/generate/video/bfl/flux-schnell', { body: { generation_prompt: 'x', generation_duration: null } }, 400, 'BSE2005');
    expect(e.message).toContain('remove generation_duration');
  });

  it('a duration the model does not offer is BSE2003', async () => {
    await rejected('POST', VIDEO, { body: { generation_prompt: 'x', generation_duration: 9 } }, 422, 'BSE2003');
  });

  it('an unknown model is BSE2004 (404)', async () => {
    await rejected('POST', '/v1/generate/image/bfl/flux-nope', { body: { generation_prompt: 'x' } }, 404, 'BSE2004');
  });

  it('a model id with more than one slash is BSE2004', async () => {
    await rejected('POST', '/v1/generate/image/bfl/flux-schnell/extra', { body: { generation_prompt: 'x' } }, 404, 'BSE2004');
  });

  it('a body over the size limit with a Content-Length is BSE2009 (413)', async () => {
    await rejected('POST', IMAGE, { body: JSON.stringify({ generation_prompt: 'x'.repeat(70 * 1024) }) }, 413, 'BSE2009');
  });

  it('a chunked body with no Content-Length is cut off at the limit with BSE2009 (413)', async () => {
    const url = new URL(s.url);
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: IMAGE, method: 'POST', headers: { authorization: `Bearer ${s.apiKey}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => { text += d.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write('{"generation_prompt":"');
      for (let i = 0; i < 80; i++) req.write('x'.repeat(1024));
      req.end('"}');
    });
    expect(status).toBe(413);
    expect(errorOf(JSON.parse(body)).code).toBe('BSE2009');
    expect(await rowCounts(s)).toEqual(before);
  });
});

describe('bad queries, ids, paths and methods', () => {
  it.each(['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'offset=-1', 'offset=x', 'unknown=1'])('GET /v1/content/list?%s is BSE2012 (400)', async (q) => {
    await rejected('GET', `/v1/content/list?${q}`, {}, 400, 'BSE2012');
  });

  it.each(['days=0', 'days=91', 'days=abc', 'days=1.5', 'days=-3', 'days=', 'weeks=2'])('GET /v1/usage?%s is BSE2012 (400)', async (q) => {
    await rejected('GET', `/v1/usage?${q}`, {}, 400, 'BSE2012');
  });

  it.each([
    ['GET', '/v1/content/not-a-uuid'],
    ['GET', '/v1/content/12345678-1234-1234-1234-1234567890ab'],
    ['GET', '/v1/content/..%2F..%2Fetc%2Fpasswd'],
    ['DELETE', '/v1/content/..%2Fstatus'],
    ['POST', '/v1/content/generation/cancel/%00'],
    ['POST', '/v1/content/generation/cancel/12345678-1234-1234-1234-1234567890ab'],
  ])('%s %s is BSE2006 (404)', async (method, path) => {
    await rejected(method, path, {}, 404, 'BSE2006');
  });

  it('a dot-segment id (normalized away by the client) is still a 404 envelope, never data', async () => {
    const r = await s.request('GET', '/v1/content/%2e%2e');
    expect(r.status).toBe(404);
    expect(['BSE2006', 'BSE2007']).toContain(errorOf(r.json).code);
  });

  it('a path traversal in a file URL is a 404 envelope', async () => {
    await rejected('GET', '/files/..%2F..%2Fetc/passwd', { key: null }, 404, 'BSE2007');
  });

  it.each([
    ['PUT', '/v1/status'],
    ['DELETE', '/v1/usage'],
    ['GET', '/v1/generate/image/bfl/flux-schnell'],
    ['PATCH', '/v1/content/list'],
    ['POST', '/v1/library/models'],
  ])('%s %s is BSE2008 (405) with Allow', async (method, path) => {
    const r = await s.request(method, path, {});
    expect(r.status).toBe(405);
    expect(errorOf(r.json).code).toBe('BSE2008');
    expect(r.headers.get('allow')).toMatch(/GET|POST|DELETE/);
  });

  it('an unknown route is BSE2007 (404) in the error envelope', async () => {
    await rejected('GET', '/v1/nothing-here', {}, 404, 'BSE2007');
  });

  it('a missing key is BSE1001 and a malformed one BSE1002, both 401 with rate-limit headers', async () => {
    const a = await s.request('GET', '/v1/status', { key: null });
    expect(a.status).toBe(401);
    expect(errorOf(a.json).code).toBe('BSE1001');
    expect(a.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    const b = await s.request('GET', '/v1/status', { key: 'bye_../../etc' });
    expect(errorOf(b.json).code).toBe('BSE1002');
  });

  it('a key without the scope is BSE1006 (403) and generate creates nothing', async () => {
    const readOnly = await s.newKey(['generation:read']);
    await rejected('POST', IMAGE, { body: { generation_prompt: 'x' }, key: readOnly }, 403, 'BSE1006');
  });
});
