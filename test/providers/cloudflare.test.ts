import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloudflareAdapter } from '../../src/providers/cloudflare/adapter.ts';
import { type AdapterContext, type NormalizedRequest, ProviderError } from '../../src/providers/types.ts';
import { type CloudflareFake, type CloudflareFault, startCloudflareFake } from '../fakes/providers/cloudflare.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
let fake: CloudflareFake;
let controller: AbortController;

function ctx(): AdapterContext {
  return {
    fetch: globalThis.fetch,
    baseUrl: fake.url,
    credentials: { accountId: 'acc123', apiToken: 'cf-token' },
    signal: controller.signal,
    now: () => NOW,
  };
}

function request(overrides: Partial<NormalizedRequest> = {}): NormalizedRequest {
  return {
    generation_id: 'gen-1',
    attempt_id: 'att-1',
    model_identifier: 'bfl/flux-schnell',
    model_type: 'image',
    raw_model_id: '@cf/black-forest-labs/flux-1-schnell',
    prompt: 'a red fox in fresh snow',
    ratio: '16:9',
    output_format: 'png',
    output_number: 1,
    input_files: [],
    specific: {},
    ...overrides,
  };
}

/** The text fields of a multipart body, and the byte length of its file parts. */
function multipartFields(body: string): Record<string, string | number> {
  const fields: Record<string, string | number> = {};
  for (const part of body.split(/\r\n--[^\r\n]*/)) {
    const m = /name="([^"]+)"(; filename="[^"]*")?[^]*?\r\n\r\n([^]*)$/.exec(part);
    if (m) fields[m[1]!] = m[2] ? Buffer.byteLength(m[3]!, 'latin1') : m[3]!;
  }
  return fields;
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

beforeEach(async () => {
  fake = await startCloudflareFake();
  controller = new AbortController();
});
afterEach(async () => {
  controller.abort();
  await fake.close();
});

describe('cloudflare payload mapping', () => {
  it('sends flux-1-schnell only the prompt and steps its schema allows, with the bearer token', async () => {
    await cloudflareAdapter.submit(request({ specific: { seed: 4, steps: 6 } }), ctx());
    const sent = fake.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/accounts/acc123/ai/run/@cf/black-forest-labs/flux-1-schnell');
    expect(sent.headers.authorization).toBe('Bearer cf-token');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.json).toEqual({ prompt: 'a red fox in fresh snow', steps: 6 });
  });

  it('sends Stable Diffusion style models width, height, seed and the input image as base64', async () => {
    const req = request({
      raw_model_id: '@cf/lykon/dreamshaper-8-lcm',
      ratio: '3:4',
      input_files: [`${fake.url}/inputs/in.jpg`],
      specific: { seed: 10, negative_prompt: 'people', num_steps: 8 },
    });
    await cloudflareAdapter.submit(req, ctx());
    const sent = fake.requests.find((r) => r.method === 'POST')!;
    expect(sent.json).toEqual({
      prompt: 'a red fox in fresh snow',
      width: 896,
      height: 1152,
      negative_prompt: 'people',
      num_steps: 8,
      seed: 10,
      image_b64: Buffer.from(fake.inputBytes).toString('base64'),
    });
  });

  it('sends flux-2 models multipart form fields and uploaded input images', async () => {
    const req = request({ raw_model_id: '@cf/black-forest-labs/flux-2-dev', ratio: '1:1', input_files: [`${fake.url}/inputs/a.jpg`], specific: { steps: 25 } });
    await cloudflareAdapter.submit(req, ctx());
    const sent = fake.requests.find((r) => r.method === 'POST')!;
    expect(sent.path).toBe('/accounts/acc123/ai/run/@cf/black-forest-labs/flux-2-dev');
    expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipartFields(sent.body)).toEqual({ prompt: 'a red fox in fresh snow', width: '1024', height: '1024', steps: '25', input_image_0: fake.inputBytes.length });
  });

  it('makes one call per requested output, moving the seed so the images differ', async () => {
    const req = request({ raw_model_id: '@cf/bytedance/stable-diffusion-xl-lightning', output_number: 3, specific: { seed: 100 } });
    const result = await cloudflareAdapter.submit(req, ctx());
    expect(result.kind === 'completed' && result.outputs.length).toBe(3);
    expect(fake.requests.map((r) => (r.json as { seed: number }).seed)).toEqual([100, 101, 102]);
  });
});

describe('cloudflare synchronous results', () => {
  it('decodes the base64 image of the JSON envelope', async () => {
    const result = await cloudflareAdapter.submit(request(), ctx());
    expect(result).toEqual({ kind: 'completed', outputs: [{ kind: 'inline', data: fake.imageBytes, content_type: 'image/png' }] });
    if (result.kind !== 'completed') throw new Error('unreachable');
    expect(await cloudflareAdapter.download(result.outputs[0]!, ctx())).toEqual({ data: fake.imageBytes, content_type: 'image/png' });
  });

  it('keeps raw image/png bytes answered by Stable Diffusion style models', async () => {
    const result = await cloudflareAdapter.submit(request({ raw_model_id: '@cf/lykon/dreamshaper-8-lcm' }), ctx());
    expect(result).toEqual({ kind: 'completed', outputs: [{ kind: 'inline', data: fake.imageBytes, content_type: 'image/png' }] });
  });

  it('has no job to poll and no cancel', async () => {
    expect(cloudflareAdapter.cancel).toBeUndefined();
    expect((await rejection(cloudflareAdapter.status('x', request(), ctx()))).errorClass).toBe('not_found');
  });

  it('refuses to run without the account id credential', async () => {
    const error = await rejection(cloudflareAdapter.submit(request(), { ...ctx(), credentials: { apiToken: 'cf-token' } }));
    expect(error.errorClass).toBe('auth');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('cloudflare error classes', () => {
  const cases: [CloudflareFault, string, string | undefined, number | undefined][] = [
    ['rate_limited', 'rate_limited', '971', 11000],
    ['capacity', 'rate_limited', '3040', undefined],
    ['unavailable', 'provider_unavailable', '3001', undefined],
    ['malformed', 'malformed_response', undefined, undefined],
    ['auth', 'auth', '10000', undefined],
    ['bad_request', 'bad_request', '5004', undefined],
    ['out_of_credit', 'out_of_credit', '3036', undefined],
    ['moderation', 'moderation', '3030', undefined],
    ['success_false', 'rate_limited', '3040', undefined],
  ];
  it.each(cases)('a %s answer becomes %s', async (fault, errorClass, providerCode, retryAfterMs) => {
    void fake.failNext(fault);
    const error = await rejection(cloudflareAdapter.submit(request(), ctx()));
    expect(error.errorClass).toBe(errorClass);
    expect(error.providerCode).toBe(providerCode);
    expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  it('a request the API holds open ends as timeout when the attempt is aborted', async () => {
    const arrived = fake.failNext('hang');
    const pending = cloudflareAdapter.submit(request(), ctx());
    await arrived;
    controller.abort();
    expect((await rejection(pending)).errorClass).toBe('timeout');
  });
});
