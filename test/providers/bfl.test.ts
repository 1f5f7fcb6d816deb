import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bflAdapter } from '../../src/providers/bfl/adapter.ts';
import { type AdapterContext, type ErrorClass, type NormalizedRequest, ProviderError } from '../../src/providers/types.ts';
import { BFL_TEST_KEY, type BflFake, startBflFake } from '../fakes/providers/bfl.ts';
import { FAKE_PNG } from '../fakes/providers/scripted.ts';

const NOW_MS = Date.parse('2026-03-01T12:00:00Z');
const WEBHOOK_SECRET = 'bfl-webhook-secret';

function request(overrides: Partial<NormalizedRequest> = {}): NormalizedRequest {
  return {
    generation_id: 'gen_1',
    attempt_id: 'att_1',
    model_identifier: 'bfl/flux-1.1-pro',
    model_type: 'image',
    raw_model_id: 'flux-pro-1.1',
    prompt: 'a lighthouse at dusk',
    output_number: 1,
    input_files: [],
    specific: {},
    ...overrides,
  };
}

let fake: BflFake;

function ctx(options: { signal?: AbortSignal; apiKey?: string; webhookSecret?: string } = {}): AdapterContext {
  const credentials: Record<string, string> = { apiKey: options.apiKey ?? BFL_TEST_KEY };
  if (options.webhookSecret !== undefined) credentials.webhookSecret = options.webhookSecret;
  return { fetch: globalThis.fetch, baseUrl: fake.url, credentials, signal: options.signal ?? new AbortController().signal, now: () => NOW_MS };
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

beforeEach(async () => {
  fake = await startBflFake();
});
afterEach(async () => {
  await fake.close();
});

describe('bfl payload mapping', () => {
  it('sends the documented body and x-key header, with the ratio as width/height for flux-pro-1.1', async () => {
    const result = await bflAdapter.submit(
      request({ ratio: '16:9', output_format: 'jpg', specific: { seed: 7, safety_tolerance: 3 }, webhook_url: 'https://hooks.example/bfl' }),
      ctx({ webhookSecret: WEBHOOK_SECRET }),
    );
    expect(result).toEqual({ kind: 'pending', provider_job_id: 'task-1' });
    const sent = fake.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/flux-pro-1.1');
    expect(sent.headers['x-key']).toBe(BFL_TEST_KEY);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.json).toEqual({
      seed: 7,
      safety_tolerance: 3,
      prompt: 'a lighthouse at dusk',
      width: 1376,
      height: 768,
      output_format: 'jpeg',
      webhook_url: 'https://hooks.example/bfl',
      webhook_secret: WEBHOOK_SECRET,
    });
  });

  it('maps input files to input_image, input_image_2 and the ratio to width/height on FLUX.2', async () => {
    await bflAdapter.submit(request({ raw_model_id: 'flux-2-pro', ratio: '1:1', output_format: 'webp', input_files: ['https://in/a.png', 'https://in/b.png'] }), ctx());
    expect(fake.requests[0]!.path).toBe('/v1/flux-2-pro');
    expect(fake.requests[0]!.json).toEqual({
      prompt: 'a lighthouse at dusk',
      width: 1024,
      height: 1024,
      input_image: 'https://in/a.png',
      input_image_2: 'https://in/b.png',
      output_format: 'webp',
    });
  });

  it('sends aspect_ratio to Kontext endpoints', async () => {
    await bflAdapter.submit(request({ raw_model_id: 'flux-kontext-pro', ratio: '3:4', output_format: 'png', input_files: ['https://in/a.png'] }), ctx());
    expect(fake.requests[0]!.json).toEqual({ prompt: 'a lighthouse at dusk', aspect_ratio: '3:4', input_image: 'https://in/a.png', output_format: 'png' });
  });

  it('refuses more than one output without calling BFL (one task yields one sample)', async () => {
    await rejection(bflAdapter.submit(request({ output_number: 2 }), ctx()), 'bad_request');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('bfl lifecycle', () => {
  it('submits, polls Pending then Ready, and downloads the sample bytes', async () => {
    const submitted = await bflAdapter.submit(request(), ctx());
    expect(submitted.kind).toBe('pending');
    const id = submitted.kind === 'pending' ? submitted.provider_job_id : '';
    expect(await bflAdapter.status(id, request(), ctx())).toEqual({ kind: 'pending' });
    const poll = fake.requests[1]!;
    expect(poll.method).toBe('GET');
    expect(poll.path).toBe('/v1/get_result');
    expect(poll.query.get('id')).toBe(id);
    expect(poll.headers['x-key']).toBe(BFL_TEST_KEY);

    fake.setStatus(id, 'Ready');
    const done = await bflAdapter.status(id, request(), ctx());
    expect(done).toEqual({ kind: 'completed', outputs: [{ kind: 'url', url: fake.sampleUrl(id) }] });
    const file = await bflAdapter.download(done.kind === 'completed' ? done.outputs[0]! : { kind: 'url', url: '' }, ctx());
    expect(file.content_type).toBe('image/png');
    expect(file.data).toEqual(FAKE_PNG);
    expect(fake.requests.at(-1)!.headers['x-key']).toBeUndefined();
  });

  it('has no cancel: the BFL API documents none', () => {
    expect(bflAdapter.cancel).toBeUndefined();
    expect(bflAdapter.cancelMethod).toBeNull();
  });
});

describe('bfl error classes', () => {
  it('429 is rate_limited with Retry-After in milliseconds', async () => {
    fake.script.next({ kind: 'json', status: 429, body: { error: 'rate_limit_exceeded', message: 'Too many concurrent requests' }, headers: { 'retry-after': '7' } });
    const error = await rejection(bflAdapter.submit(request(), ctx()), 'rate_limited');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.retryable).toBe(true);
  });

  it('5xx is provider_unavailable', async () => {
    fake.script.next({ kind: 'text', status: 503, body: 'upstream unavailable' });
    await rejection(bflAdapter.submit(request(), ctx()), 'provider_unavailable');
  });

  it('a rejected key is auth', async () => {
    await rejection(bflAdapter.submit(request(), ctx({ apiKey: 'wrong' })), 'auth');
  });

  it('402 is out_of_credit', async () => {
    fake.script.next({ kind: 'json', status: 402, body: { error: 'insufficient_credits', message: 'Your account does not have enough credits' } });
    await rejection(bflAdapter.submit(request(), ctx()), 'out_of_credit');
  });

  it('422 validation is bad_request', async () => {
    fake.script.next({ kind: 'json', status: 422, body: { detail: [{ loc: ['body', 'width'], msg: 'must be a multiple of 32', type: 'value_error' }] } });
    const error = await rejection(bflAdapter.submit(request(), ctx()), 'bad_request');
    expect(error.message).toContain('must be a multiple of 32');
  });

  it('a 400 naming content moderation is moderation', async () => {
    fake.script.next({ kind: 'json', status: 400, body: { error: 'content_policy_violation', message: 'The prompt violated content policy' } });
    await rejection(bflAdapter.submit(request(), ctx()), 'moderation');
  });

  it('a 200 body that is not the documented shape is malformed_response', async () => {
    fake.script.next({ kind: 'text', status: 200, body: '{"id": "task-1", "polling_' });
    await rejection(bflAdapter.submit(request(), ctx()), 'malformed_response');
    fake.script.next({ kind: 'json', status: 200, body: { id: 'x', status: 'Sleeping' } });
    await rejection(bflAdapter.status('x', request(), ctx()), 'malformed_response');
  });

  it('a hanging request ends as timeout when the attempt signal aborts', async () => {
    const controller = new AbortController();
    fake.script.next({ kind: 'hang' });
    const arrived = fake.script.arrival();
    const pending = bflAdapter.submit(request(), ctx({ signal: controller.signal }));
    await arrived;
    controller.abort();
    await rejection(pending, 'timeout');
  });

  it('Request Moderated and Content Moderated are moderation failures', async () => {
    fake.setStatus('t-req', 'Request Moderated');
    fake.setStatus('t-out', 'Content Moderated');
    for (const id of ['t-req', 't-out']) {
      const result = await bflAdapter.status(id, request(), ctx());
      expect(result.kind).toBe('failed');
      expect(result.kind === 'failed' && result.error.errorClass).toBe('moderation');
    }
  });

  it('Error is a retryable failure and Task not found is not_found', async () => {
    fake.setStatus('t-err', 'Error', 'internal_error');
    const failed = await bflAdapter.status('t-err', request(), ctx());
    expect(failed.kind === 'failed' && failed.error.errorClass).toBe('provider_unavailable');
    const missing = await bflAdapter.status('t-none', request(), ctx());
    expect(missing.kind === 'failed' && missing.error.errorClass).toBe('not_found');
  });
});

describe('bfl webhook verification', () => {
  async function sign(body: string, secret: string): Promise<string> {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)));
    return `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  }
  const readyBody = (timestamp: string) =>
    JSON.stringify({ id: 'task-9', status: 'Ready', result: { sample: 'https://delivery.example/s.jpeg', seed: 1 }, timestamp });
  const wctx = { now: () => NOW_MS, fetch: globalThis.fetch };

  it('accepts a correctly signed payload and parses the result', async () => {
    const body = readyBody('2026-03-01T11:59:30Z');
    const headers = new Headers({ 'x-bfl-signature': await sign(body, WEBHOOK_SECRET) });
    const event = await bflAdapter.verifyWebhook!(headers, body, WEBHOOK_SECRET, wctx);
    expect(event).toEqual({ provider_job_id: 'task-9', result: { kind: 'completed', outputs: [{ kind: 'url', url: 'https://delivery.example/s.jpeg' }] } });
  });

  it('rejects a tampered body', async () => {
    const body = readyBody('2026-03-01T11:59:30Z');
    const headers = new Headers({ 'x-bfl-signature': await sign(body, WEBHOOK_SECRET) });
    await rejection(bflAdapter.verifyWebhook!(headers, body.replace('s.jpeg', 'evil.jpeg'), WEBHOOK_SECRET, wctx), 'auth');
  });

  it('rejects a signature made with another secret', async () => {
    const body = readyBody('2026-03-01T11:59:30Z');
    const headers = new Headers({ 'x-bfl-signature': await sign(body, 'not-the-secret') });
    await rejection(bflAdapter.verifyWebhook!(headers, body, WEBHOOK_SECRET, wctx), 'auth');
  });

  it('rejects a stale (replayed) payload even when its signature is valid', async () => {
    const body = readyBody('2026-03-01T11:40:00Z');
    const headers = new Headers({ 'x-bfl-signature': await sign(body, WEBHOOK_SECRET) });
    await rejection(bflAdapter.verifyWebhook!(headers, body, WEBHOOK_SECRET, wctx), 'auth');
  });

  it('maps a signed moderation failure to a failed result', async () => {
    const body = JSON.stringify({ id: 'task-3', status: 'Content Moderated', timestamp: '2026-03-01T12:00:10Z' });
    const headers = new Headers({ 'x-bfl-signature': await sign(body, WEBHOOK_SECRET) });
    const event = await bflAdapter.verifyWebhook!(headers, body, WEBHOOK_SECRET, wctx);
    expect(event.result.kind === 'failed' && event.result.error.errorClass).toBe('moderation');
  });
});
