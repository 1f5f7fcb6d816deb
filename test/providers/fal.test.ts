import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { falAdapter } from '../../src/providers/fal/adapter.ts';
import { type AdapterContext, type ErrorClass, type NormalizedRequest, ProviderError } from '../../src/providers/types.ts';
import { FAL_TEST_KEY, type FalFake, startFalFake } from '../fakes/providers/fal.ts';
import { FAKE_MP4, FAKE_PNG } from '../fakes/providers/scripted.ts';

const NOW_MS = Date.parse('2026-03-01T12:00:00Z');
const NOW_S = NOW_MS / 1000;

function request(overrides: Partial<NormalizedRequest> = {}): NormalizedRequest {
  return {
    generation_id: 'gen_1',
    attempt_id: 'att_1',
    model_identifier: 'bfl/flux-schnell',
    model_type: 'image',
    raw_model_id: 'fal-ai/flux/schnell',
    prompt: 'a lighthouse at dusk',
    output_number: 1,
    input_files: [],
    specific: {},
    ...overrides,
  };
}

const seedance = (overrides: Partial<NormalizedRequest> = {}) =>
  request({ model_identifier: 'bytedance/seedance-1-pro', model_type: 'video', raw_model_id: 'fal-ai/bytedance/seedance/v1/pro/text-to-video', ...overrides });

let fake: FalFake;

function ctx(options: { signal?: AbortSignal; key?: string } = {}): AdapterContext {
  return {
    fetch: globalThis.fetch,
    baseUrl: fake.url,
    credentials: { apiKey: options.key ?? FAL_TEST_KEY },
    signal: options.signal ?? new AbortController().signal,
    now: () => NOW_MS,
  };
}

async function rejection(promise: Promise<unknown>, errorClass: ErrorClass): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).errorClass).toBe(errorClass);
  return error as ProviderError;
}

async function submitId(req: NormalizedRequest = request()): Promise<string> {
  const submitted = await falAdapter.submit(req, ctx());
  if (submitted.kind !== 'pending') throw new Error('expected a queued request');
  return submitted.provider_job_id;
}

beforeEach(async () => {
  fake = await startFalFake();
});
afterEach(async () => {
  await fake.close();
});

describe('fal payload mapping', () => {
  it('queues on the endpoint with Key auth, the fal_webhook query parameter and the mapped input', async () => {
    const result = await falAdapter.submit(
      request({ ratio: '16:9', output_format: 'jpg', output_number: 2, specific: { seed: 5 }, webhook_url: 'https://hooks.example/fal?x=1' }),
      ctx(),
    );
    expect(result).toEqual({ kind: 'pending', provider_job_id: '0000-req-1' });
    const sent = fake.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/fal-ai/flux/schnell');
    expect(sent.query.get('fal_webhook')).toBe('https://hooks.example/fal?x=1');
    expect(sent.headers.authorization).toBe(`Key ${FAL_TEST_KEY}`);
    expect(sent.json).toEqual({ seed: 5, prompt: 'a lighthouse at dusk', num_images: 2, image_size: 'landscape_16_9', output_format: 'jpeg' });
  });

  it('sends explicit pixels for a ratio without a named image_size', async () => {
    await submitId(request({ ratio: '21:9' }));
    expect(fake.requests[0]!.json).toMatchObject({ image_size: { width: 1568, height: 672 } });
  });

  it('fails over (unknown) rather than fail the generation when fal cannot make the format', async () => {
    await rejection(falAdapter.submit(request({ output_format: 'webp' }), ctx()), 'unknown');
    expect(fake.requests).toHaveLength(0);
  });

  it('routes a first frame to the image-to-video endpoint with image_url and end_image_url', async () => {
    await submitId(
      seedance({ ratio: '9:16', duration_seconds: 5, resolution: '720p', output_format: 'mp4', input_files: ['https://in/a.png'], last_frame: 'https://in/z.png', specific: { camera_fixed: true } }),
    );
    expect(fake.requests[0]!.path).toBe('/fal-ai/bytedance/seedance/v1/pro/image-to-video');
    expect(fake.requests[0]!.json).toEqual({
      camera_fixed: true,
      prompt: 'a lighthouse at dusk',
      aspect_ratio: '9:16',
      resolution: '720p',
      duration: '5',
      image_url: 'https://in/a.png',
      end_image_url: 'https://in/z.png',
    });
  });

  it('maps Veo 2 durations to "<n>s"', async () => {
    await submitId(request({ model_type: 'video', raw_model_id: 'fal-ai/veo2', ratio: '16:9', duration_seconds: 8 }));
    expect(fake.requests[0]!.json).toEqual({ prompt: 'a lighthouse at dusk', duration: '8s', aspect_ratio: '16:9' });
  });
});

describe('fal lifecycle', () => {
  it('queues, polls IN_QUEUE → IN_PROGRESS → COMPLETED under the app path, fetches the response and downloads', async () => {
    const id = await submitId();
    expect(await falAdapter.status(id, request(), ctx())).toEqual({ kind: 'pending' });
    expect(fake.requests[1]!.method).toBe('GET');
    expect(fake.requests[1]!.path).toBe(`/fal-ai/flux/requests/${id}/status`);
    expect(fake.requests[1]!.headers.authorization).toBe(`Key ${FAL_TEST_KEY}`);
    fake.setState(id, 'IN_PROGRESS');
    expect(await falAdapter.status(id, request(), ctx())).toEqual({ kind: 'pending' });
    fake.complete(id, { images: [{ url: fake.fileUrl('a.png'), content_type: 'image/png', width: 1024, height: 576 }], seed: 5, has_nsfw_concepts: [false], prompt: 'p', timings: {} });
    const done = await falAdapter.status(id, request(), ctx());
    expect(done).toEqual({ kind: 'completed', outputs: [{ kind: 'url', url: fake.fileUrl('a.png') }] });
    expect(fake.requests.at(-1)!.path).toBe(`/fal-ai/flux/requests/${id}`);
    const file = await falAdapter.download({ kind: 'url', url: fake.fileUrl('a.png') }, ctx());
    expect(file).toEqual({ data: FAKE_PNG, content_type: 'image/png' });
    expect(fake.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('reads a video output', async () => {
    const id = await submitId(seedance());
    fake.complete(id, { video: { url: fake.fileUrl('v.mp4'), content_type: 'video/mp4' }, seed: 1 });
    const done = await falAdapter.status(id, seedance(), ctx());
    expect(done).toEqual({ kind: 'completed', outputs: [{ kind: 'url', url: fake.fileUrl('v.mp4') }] });
    expect(fake.requests[1]!.path).toBe(`/fal-ai/bytedance/requests/${id}/status`);
    expect((await falAdapter.download({ kind: 'url', url: fake.fileUrl('v.mp4') }, ctx())).data).toEqual(FAKE_MP4);
  });

  it('cancels with PUT …/requests/{id}/cancel; a completed request cannot be cancelled', async () => {
    const id = await submitId();
    expect(await falAdapter.cancel!(id, request(), ctx())).toBe(true);
    expect(fake.requests.at(-1)!.method).toBe('PUT');
    expect(fake.requests.at(-1)!.path).toBe(`/fal-ai/flux/requests/${id}/cancel`);
    const done = await submitId();
    fake.complete(done, { images: [{ url: fake.fileUrl('a.png') }] });
    expect(await falAdapter.cancel!(done, request(), ctx())).toBe(false);
  });
});

describe('fal error classes', () => {
  it('429 is rate_limited with Retry-After', async () => {
    fake.script.next({ kind: 'json', status: 429, body: { detail: 'Too many requests' }, headers: { 'retry-after': '3' } });
    expect((await rejection(falAdapter.submit(request(), ctx()), 'rate_limited')).retryAfterMs).toBe(3000);
  });

  it('5xx is provider_unavailable', async () => {
    fake.script.next({ kind: 'json', status: 503, body: { detail: 'Service Unavailable' }, headers: { 'x-fal-retryable': 'true' } });
    await rejection(falAdapter.status('x', request(), ctx()), 'provider_unavailable');
  });

  it('a bad key is auth', async () => {
    await rejection(falAdapter.submit(request(), ctx({ key: 'nope' })), 'auth');
  });

  it('403 "Exhausted balance" is out_of_credit', async () => {
    fake.script.next({ kind: 'json', status: 403, body: { detail: 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.' } });
    await rejection(falAdapter.submit(request(), ctx()), 'out_of_credit');
  });

  it('422 validation is bad_request; 422 content_policy_violation is moderation', async () => {
    fake.script.next({ kind: 'json', status: 422, body: { detail: [{ loc: ['body', 'num_images'], msg: 'ensure this value is less than or equal to 4', type: 'less_than_equal' }] } });
    await rejection(falAdapter.submit(request(), ctx()), 'bad_request');
    fake.script.next({
      kind: 'json',
      status: 422,
      body: { detail: [{ loc: ['body', 'prompt'], msg: 'The content was flagged by a content checker.', type: 'content_policy_violation', url: 'https://docs.fal.ai/errors#content_policy_violation' }] },
    });
    await rejection(falAdapter.submit(request(), ctx()), 'moderation');
  });

  it('a model that rejects content after queueing fails the status as moderation', async () => {
    const id = await submitId();
    fake.failWith(id, 422, { detail: [{ loc: ['body', 'prompt'], msg: 'The content was flagged by a content checker.', type: 'content_policy_violation' }] });
    const failed = await falAdapter.status(id, request(), ctx());
    expect(failed.kind === 'failed' && failed.error.errorClass).toBe('moderation');
  });

  it('an output flagged by the safety checker is moderation', async () => {
    const id = await submitId();
    fake.complete(id, { images: [{ url: fake.fileUrl('black.png') }], has_nsfw_concepts: [true] });
    const failed = await falAdapter.status(id, request(), ctx());
    expect(failed.kind === 'failed' && failed.error.errorClass).toBe('moderation');
  });

  it('a body that does not fit is malformed_response', async () => {
    fake.script.next({ kind: 'text', status: 200, body: '<html>oops</html>' });
    await rejection(falAdapter.submit(request(), ctx()), 'malformed_response');
    fake.script.next({ kind: 'json', status: 200, body: { status: 'DONE' } });
    await rejection(falAdapter.status('x', request(), ctx()), 'malformed_response');
  });

  it('a hanging request ends as timeout when the attempt signal aborts', async () => {
    const controller = new AbortController();
    fake.script.next({ kind: 'hang' });
    const arrived = fake.script.arrival();
    const pending = falAdapter.submit(request(), ctx({ signal: controller.signal }));
    await arrived;
    controller.abort();
    await rejection(pending, 'timeout');
  });
});

describe('fal webhook verification (Ed25519 + JWKS)', () => {
  let keys: CryptoKeyPair;
  let otherKeys: CryptoKeyPair;
  const wctx = { now: () => NOW_MS, fetch: globalThis.fetch };
  const body = JSON.stringify({
    request_id: '0000-req-9',
    gateway_request_id: '0000-req-9',
    status: 'OK',
    payload: { images: [{ url: 'https://v3.fal.media/files/x.png', content_type: 'image/png' }], seed: 1, has_nsfw_concepts: [false] },
  });

  beforeEach(async () => {
    keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    otherKeys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
    fake.jwks.keys.push({ kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: 'k1', use: 'sig' });
  });

  const jwksUrl = () => `${fake.url}/.well-known/jwks.json`;

  async function signedHeaders(payload: string, options: { key?: CryptoKey; timestamp?: number } = {}): Promise<Headers> {
    const timestamp = String(options.timestamp ?? NOW_S - 5);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(payload)));
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    const message = new TextEncoder().encode(['0000-req-9', 'user-42', timestamp, hex(digest)].join('\n'));
    const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, options.key ?? keys.privateKey, message));
    return new Headers({
      'x-fal-webhook-request-id': '0000-req-9',
      'x-fal-webhook-user-id': 'user-42',
      'x-fal-webhook-timestamp': timestamp,
      'x-fal-webhook-signature': hex(signature),
    });
  }

  it('accepts a payload signed with a key from the JWKS and parses the result', async () => {
    const event = await falAdapter.verifyWebhook!(await signedHeaders(body), body, jwksUrl(), wctx);
    expect(event).toEqual({ provider_job_id: '0000-req-9', result: { kind: 'completed', outputs: [{ kind: 'url', url: 'https://v3.fal.media/files/x.png' }] } });
    expect(fake.requests.some((r) => r.path === '/.well-known/jwks.json')).toBe(true);
  });

  it('rejects a tampered body', async () => {
    const headers = await signedHeaders(body);
    await rejection(falAdapter.verifyWebhook!(headers, body.replace('x.png', 'evil.png'), jwksUrl(), wctx), 'auth');
  });

  it('rejects a signature from a key that is not in the JWKS', async () => {
    const headers = await signedHeaders(body, { key: otherKeys.privateKey });
    await rejection(falAdapter.verifyWebhook!(headers, body, jwksUrl(), wctx), 'auth');
  });

  it('rejects a stale timestamp even with a valid signature', async () => {
    const headers = await signedHeaders(body, { timestamp: NOW_S - 301 });
    await rejection(falAdapter.verifyWebhook!(headers, body, jwksUrl(), wctx), 'auth');
  });

  it('maps a signed ERROR delivery with a content-policy payload to moderation', async () => {
    const errorBody = JSON.stringify({
      request_id: '0000-req-9',
      status: 'ERROR',
      error: 'Invalid status code: 422',
      payload: { detail: [{ loc: ['body', 'prompt'], msg: 'flagged', type: 'content_policy_violation' }] },
    });
    const event = await falAdapter.verifyWebhook!(await signedHeaders(errorBody), errorBody, jwksUrl(), wctx);
    expect(event.result.kind === 'failed' && event.result.error.errorClass).toBe('moderation');
  });
});
