import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replicateAdapter } from '../../src/providers/replicate/adapter.ts';
import { type AdapterContext, type ErrorClass, type NormalizedRequest, ProviderError } from '../../src/providers/types.ts';
import { REPLICATE_TEST_TOKEN, type ReplicateFake, startReplicateFake } from '../fakes/providers/replicate.ts';
import { FAKE_PNG } from '../fakes/providers/scripted.ts';

const NOW_MS = Date.parse('2026-03-01T12:00:00Z');
const NOW_S = NOW_MS / 1000;

function request(overrides: Partial<NormalizedRequest> = {}): NormalizedRequest {
  return {
    generation_id: 'gen_1',
    attempt_id: 'att_1',
    model_identifier: 'bfl/flux-schnell',
    model_type: 'image',
    raw_model_id: 'black-forest-labs/flux-schnell',
    prompt: 'a lighthouse at dusk',
    output_number: 1,
    input_files: [],
    specific: {},
    ...overrides,
  };
}

let fake: ReplicateFake;

function ctx(options: { signal?: AbortSignal; token?: string } = {}): AdapterContext {
  return {
    fetch: globalThis.fetch,
    baseUrl: fake.url,
    credentials: { apiKey: options.token ?? REPLICATE_TEST_TOKEN },
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
  const submitted = await replicateAdapter.submit(req, ctx());
  if (submitted.kind !== 'pending') throw new Error('expected a pending prediction');
  return submitted.provider_job_id;
}

beforeEach(async () => {
  fake = await startReplicateFake();
});
afterEach(async () => {
  await fake.close();
});

describe('replicate payload mapping', () => {
  it('creates an official-model prediction with Bearer auth, the mapped input and a completed-only webhook', async () => {
    const result = await replicateAdapter.submit(
      request({ ratio: '16:9', output_format: 'webp', output_number: 2, specific: { seed: 3 }, webhook_url: 'https://hooks.example/r' }),
      ctx(),
    );
    expect(result).toEqual({ kind: 'pending', provider_job_id: 'pred1' });
    const sent = fake.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/models/black-forest-labs/flux-schnell/predictions');
    expect(sent.headers.authorization).toBe(`Bearer ${REPLICATE_TEST_TOKEN}`);
    expect(sent.headers.prefer).toBeUndefined();
    expect(sent.json).toEqual({
      input: { seed: 3, prompt: 'a lighthouse at dusk', aspect_ratio: '16:9', num_outputs: 2, output_format: 'webp' },
      webhook: 'https://hooks.example/r',
      webhook_events_filter: ['completed'],
    });
  });

  it('maps a video request: duration, resolution, first and last frame', async () => {
    await submitId(
      request({
        model_type: 'video',
        raw_model_id: 'bytedance/seedance-1-pro',
        ratio: '9:16',
        output_format: 'mp4',
        duration_seconds: 5,
        resolution: '1080p',
        input_files: ['https://in/first.png'],
        last_frame: 'https://in/last.png',
        specific: { seed: 11, camera_fixed: true },
      }),
    );
    expect(fake.requests[0]!.path).toBe('/v1/models/bytedance/seedance-1-pro/predictions');
    expect(fake.requests[0]!.json).toEqual({
      input: {
        seed: 11,
        camera_fixed: true,
        prompt: 'a lighthouse at dusk',
        aspect_ratio: '9:16',
        duration: 5,
        resolution: '1080p',
        image: 'https://in/first.png',
        last_frame_image: 'https://in/last.png',
      },
    });
  });

  it('uses POST /v1/predictions with `version` for a pinned owner/name:version id', async () => {
    const version = 'a'.repeat(64);
    await submitId(request({ raw_model_id: `acme/custom:${version}` }));
    expect(fake.requests[0]!.path).toBe('/v1/predictions');
    expect(fake.requests[0]!.json).toMatchObject({ version, input: { prompt: 'a lighthouse at dusk' } });
  });

  it('passes input images as an array where the model takes a list', async () => {
    await submitId(request({ raw_model_id: 'openai/gpt-image-1', output_format: 'jpg', input_files: ['https://in/a.png', 'https://in/b.png'] }));
    expect(fake.requests[0]!.json).toEqual({
      input: { prompt: 'a lighthouse at dusk', number_of_images: 1, output_format: 'jpeg', input_images: ['https://in/a.png', 'https://in/b.png'] },
    });
  });

  it('refuses a malformed model id without calling Replicate', async () => {
    await rejection(replicateAdapter.submit(request({ raw_model_id: '../../etc' }), ctx()), 'bad_request');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('replicate lifecycle', () => {
  it('submits, polls starting → processing → succeeded, and downloads each output with the token', async () => {
    const id = await submitId(request({ output_number: 2 }));
    expect(await replicateAdapter.status(id, request(), ctx())).toEqual({ kind: 'pending' });
    expect(fake.requests[1]!.method).toBe('GET');
    expect(fake.requests[1]!.path).toBe(`/v1/predictions/${id}`);
    fake.setStatus(id, 'processing');
    expect(await replicateAdapter.status(id, request(), ctx())).toEqual({ kind: 'pending' });
    fake.setStatus(id, 'succeeded', { output: [fake.fileUrl('out-0.png'), fake.fileUrl('out-1.png')] });
    const done = await replicateAdapter.status(id, request(), ctx());
    expect(done).toEqual({ kind: 'completed', outputs: [{ kind: 'url', url: fake.fileUrl('out-0.png') }, { kind: 'url', url: fake.fileUrl('out-1.png') }] });
    const file = await replicateAdapter.download({ kind: 'url', url: fake.fileUrl('out-0.png') }, ctx());
    expect(file).toEqual({ data: FAKE_PNG, content_type: 'image/png' });
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${REPLICATE_TEST_TOKEN}`);
  });

  it('accepts a single URL as output (models that return one file)', async () => {
    const id = await submitId(request({ raw_model_id: 'black-forest-labs/flux-1.1-pro' }));
    fake.setStatus(id, 'succeeded', { output: fake.fileUrl('one.png') });
    expect(await replicateAdapter.status(id, request(), ctx())).toEqual({ kind: 'completed', outputs: [{ kind: 'url', url: fake.fileUrl('one.png') }] });
  });

  it('cancels through POST /v1/predictions/{id}/cancel and then reports canceled', async () => {
    const id = await submitId();
    expect(await replicateAdapter.cancel!(id, request(), ctx())).toBe(true);
    const sent = fake.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe(`/v1/predictions/${id}/cancel`);
    expect(await replicateAdapter.status(id, request(), ctx())).toEqual({ kind: 'canceled' });
  });

  it('cancel of an unknown prediction resolves false', async () => {
    expect(await replicateAdapter.cancel!('nope', request(), ctx())).toBe(false);
  });
});

describe('replicate error classes', () => {
  it('429 is rate_limited; without Retry-After the hint comes from "resets in ~30s"', async () => {
    fake.script.next({ kind: 'json', status: 429, body: { detail: 'Request was throttled. Your rate limit resets in ~30s.' } });
    expect((await rejection(replicateAdapter.submit(request(), ctx()), 'rate_limited')).retryAfterMs).toBe(30_000);
    fake.script.next({ kind: 'json', status: 429, body: { detail: 'Request was throttled.' }, headers: { 'retry-after': '5' } });
    expect((await rejection(replicateAdapter.submit(request(), ctx()), 'rate_limited')).retryAfterMs).toBe(5_000);
  });

  it('5xx is provider_unavailable', async () => {
    fake.script.next({ kind: 'text', status: 502, body: '<html>Bad Gateway</html>' });
    await rejection(replicateAdapter.status('pred1', request(), ctx()), 'provider_unavailable');
  });

  it('a bad token is auth', async () => {
    await rejection(replicateAdapter.submit(request(), ctx({ token: 'r8_wrong' })), 'auth');
  });

  it('402 is out_of_credit', async () => {
    fake.script.next({ kind: 'json', status: 402, body: { title: 'Insufficient credit', detail: 'You have insufficient credit to run this model.', status: 402 } });
    await rejection(replicateAdapter.submit(request(), ctx()), 'out_of_credit');
  });

  it('422 input validation is bad_request', async () => {
    fake.script.next({ kind: 'json', status: 422, body: { title: 'Input validation failed', detail: '- input.num_outputs: Must be less than or equal to 4', status: 422 } });
    const error = await rejection(replicateAdapter.submit(request(), ctx()), 'bad_request');
    expect(error.message).toContain('num_outputs');
  });

  it('a body that is not a prediction is malformed_response', async () => {
    fake.script.next({ kind: 'text', status: 201, body: 'not json at all' });
    await rejection(replicateAdapter.submit(request(), ctx()), 'malformed_response');
  });

  it('a hanging request ends as timeout when the attempt signal aborts', async () => {
    const controller = new AbortController();
    fake.script.next({ kind: 'hang' });
    const arrived = fake.script.arrival();
    const pending = replicateAdapter.status('pred1', request(), ctx({ signal: controller.signal }));
    await arrived;
    controller.abort();
    await rejection(pending, 'timeout');
  });

  it('a failed prediction flagged as NSFW is moderation; other failures are classified from the error', async () => {
    const nsfw = await submitId();
    fake.setStatus(nsfw, 'failed', { error: 'NSFW content detected. Try running it again, or try a different prompt.' });
    const moderated = await replicateAdapter.status(nsfw, request(), ctx());
    expect(moderated.kind === 'failed' && moderated.error.errorClass).toBe('moderation');

    const slow = await submitId();
    fake.setStatus(slow, 'failed', { error: 'E6716: Timeout starting prediction' });
    const timedOut = await replicateAdapter.status(slow, request(), ctx());
    expect(timedOut.kind === 'failed' && timedOut.error.errorClass).toBe('timeout');
    expect(timedOut.kind === 'failed' && timedOut.error.providerCode).toBe('E6716');

    const crash = await submitId();
    fake.setStatus(crash, 'failed', { error: 'CUDA error: device-side assert triggered' });
    const crashed = await replicateAdapter.status(crash, request(), ctx());
    expect(crashed.kind === 'failed' && crashed.error.errorClass).toBe('unknown');
  });
});

describe('replicate webhook verification (Standard Webhooks)', () => {
  const keyBytes = new Uint8Array(32).map((_, i) => (i * 37 + 11) % 256);
  const secret = `whsec_${btoa(String.fromCharCode(...keyBytes))}`;
  const wctx = { now: () => NOW_MS, fetch: globalThis.fetch };
  const body = JSON.stringify({ id: 'pred7', status: 'succeeded', output: ['https://replicate.delivery/xezq/out.png'], error: null });

  async function signature(key: Uint8Array, id: string, timestamp: number, payload: string): Promise<string> {
    const k = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(`${id}.${timestamp}.${payload}`)));
    return `v1,${btoa(String.fromCharCode(...mac))}`;
  }
  async function headersFor(payload: string, options: { key?: Uint8Array; timestamp?: number } = {}): Promise<Headers> {
    const timestamp = options.timestamp ?? NOW_S - 10;
    const sig = await signature(options.key ?? keyBytes, 'msg_1', timestamp, payload);
    // A second, unrelated signature in the list must not matter (key rotation sends several).
    return new Headers({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,AAAA ${sig}` });
  }

  it('accepts a correctly signed payload and parses the prediction', async () => {
    const event = await replicateAdapter.verifyWebhook!(await headersFor(body), body, secret, wctx);
    expect(event).toEqual({ provider_job_id: 'pred7', result: { kind: 'completed', outputs: [{ kind: 'url', url: 'https://replicate.delivery/xezq/out.png' }] } });
  });

  it('rejects a tampered body', async () => {
    const headers = await headersFor(body);
    await rejection(replicateAdapter.verifyWebhook!(headers, body.replace('out.png', 'evil.png'), secret, wctx), 'auth');
  });

  it('rejects a payload signed with another secret', async () => {
    const headers = await headersFor(body, { key: new Uint8Array(32).fill(7) });
    await rejection(replicateAdapter.verifyWebhook!(headers, body, secret, wctx), 'auth');
  });

  it('rejects a stale timestamp even with a valid signature', async () => {
    const headers = await headersFor(body, { timestamp: NOW_S - 600 });
    await rejection(replicateAdapter.verifyWebhook!(headers, body, secret, wctx), 'auth');
  });
});
