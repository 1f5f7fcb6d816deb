import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openaiAdapter, parseResetDuration } from '../../src/providers/openai/adapter.ts';
import { type AdapterContext, type ErrorClass, type NormalizedRequest, ProviderError } from '../../src/providers/types.ts';
import { OPENAI_TEST_KEY, type OpenAIFake, openaiError, startOpenAIFake } from '../fakes/providers/openai.ts';
import { FAKE_PNG } from '../fakes/providers/scripted.ts';

const NOW_MS = Date.parse('2026-03-01T12:00:00Z');

function request(overrides: Partial<NormalizedRequest> = {}): NormalizedRequest {
  return {
    generation_id: 'gen_1',
    attempt_id: 'att_1',
    model_identifier: 'openai/gpt-image-1',
    model_type: 'image',
    raw_model_id: 'gpt-image-1',
    prompt: 'a lighthouse at dusk',
    output_number: 1,
    input_files: [],
    specific: {},
    ...overrides,
  };
}

let fake: OpenAIFake;

function ctx(options: { signal?: AbortSignal; key?: string } = {}): AdapterContext {
  return {
    fetch: globalThis.fetch,
    baseUrl: fake.url,
    credentials: { apiKey: options.key ?? OPENAI_TEST_KEY },
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

beforeEach(async () => {
  fake = await startOpenAIFake();
});
afterEach(async () => {
  await fake.close();
});

describe('openai payload mapping', () => {
  it('posts the documented generations body with Bearer auth', async () => {
    await openaiAdapter.submit(request({ ratio: '3:2', output_format: 'webp', output_number: 2, specific: { quality: 'high' } }), ctx());
    const sent = fake.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/images/generations');
    expect(sent.headers.authorization).toBe(`Bearer ${OPENAI_TEST_KEY}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.json).toEqual({ quality: 'high', model: 'gpt-image-1', prompt: 'a lighthouse at dusk', n: 2, size: '1536x1024', output_format: 'webp' });
  });

  it('sends input images to /v1/images/edits as image_url references', async () => {
    await openaiAdapter.submit(request({ ratio: '2:3', output_format: 'jpg', input_files: ['https://in/a.png', 'data:image/png;base64,iVBO'] }), ctx());
    expect(fake.requests[0]!.path).toBe('/v1/images/edits');
    expect(fake.requests[0]!.json).toEqual({
      model: 'gpt-image-1',
      prompt: 'a lighthouse at dusk',
      n: 1,
      size: '1024x1536',
      output_format: 'jpeg',
      images: [{ image_url: 'https://in/a.png' }, { image_url: 'data:image/png;base64,iVBO' }],
    });
  });

  it('fails over (unknown) for a ratio the model cannot draw, without calling OpenAI', async () => {
    await rejection(openaiAdapter.submit(request({ ratio: '16:9' }), ctx()), 'unknown');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('openai lifecycle (synchronous)', () => {
  it('answers completed with the decoded b64_json bytes, typed from output_format', async () => {
    const result = await openaiAdapter.submit(request({ output_format: 'webp', output_number: 2 }), ctx());
    expect(result.kind).toBe('completed');
    const outputs = result.kind === 'completed' ? result.outputs : [];
    expect(outputs).toHaveLength(2);
    expect(outputs[0]).toEqual({ kind: 'inline', data: FAKE_PNG, content_type: 'image/webp' });
    expect(await openaiAdapter.download(outputs[0]!, ctx())).toEqual({ data: FAKE_PNG, content_type: 'image/webp' });
  });

  it('downloads a URL output (dall-e answers) without sending the key', async () => {
    fake.script.next({ kind: 'json', status: 200, body: { created: 1, data: [{ url: fake.fileUrl('d.png') }] } });
    const result = await openaiAdapter.submit(request({ raw_model_id: 'dall-e-3', ratio: '16:9' }), ctx());
    expect(fake.requests[0]!.json).toEqual({ model: 'dall-e-3', prompt: 'a lighthouse at dusk', n: 1, size: '1792x1024', response_format: 'b64_json' });
    expect(result).toEqual({ kind: 'completed', outputs: [{ kind: 'url', url: fake.fileUrl('d.png') }] });
    const file = await openaiAdapter.download({ kind: 'url', url: fake.fileUrl('d.png') }, ctx());
    expect(file.data).toEqual(FAKE_PNG);
    expect(fake.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('has no cancel and no webhooks; status never finds a job', async () => {
    expect(openaiAdapter.cancel).toBeUndefined();
    expect(openaiAdapter.verifyWebhook).toBeUndefined();
    const status = await openaiAdapter.status('x', request(), ctx());
    expect(status.kind === 'failed' && status.error.errorClass).toBe('not_found');
  });
});

describe('openai error classes', () => {
  it('429 rate_limit_exceeded is rate_limited, hinted by x-ratelimit-reset-* or Retry-After', async () => {
    fake.script.next({
      kind: 'json',
      status: 429,
      body: openaiError('Rate limit reached for gpt-image-1 on images per minute.', 'requests', 'rate_limit_exceeded'),
      headers: { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' },
    });
    expect((await rejection(openaiAdapter.submit(request(), ctx()), 'rate_limited')).retryAfterMs).toBe(360_000);
    fake.script.next({ kind: 'json', status: 429, body: openaiError('Slow down.', 'requests', 'rate_limit_exceeded'), headers: { 'retry-after': '2' } });
    expect((await rejection(openaiAdapter.submit(request(), ctx()), 'rate_limited')).retryAfterMs).toBe(2000);
  });

  it('429 insufficient_quota is out_of_credit, not a rate limit', async () => {
    fake.script.next({ kind: 'json', status: 429, body: openaiError('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota') });
    const error = await rejection(openaiAdapter.submit(request(), ctx()), 'out_of_credit');
    expect(error.retryable).toBe(false);
  });

  it('400 billing_hard_limit_reached is out_of_credit', async () => {
    fake.script.next({ kind: 'json', status: 400, body: openaiError('Billing hard limit has been reached', 'invalid_request_error', 'billing_hard_limit_reached') });
    await rejection(openaiAdapter.submit(request(), ctx()), 'out_of_credit');
  });

  it('5xx is provider_unavailable', async () => {
    fake.script.next({ kind: 'json', status: 500, body: openaiError('The server had an error while processing your request.', 'server_error', null) });
    await rejection(openaiAdapter.submit(request(), ctx()), 'provider_unavailable');
  });

  it('a wrong key is auth', async () => {
    const error = await rejection(openaiAdapter.submit(request(), ctx({ key: 'sk-wrong' })), 'auth');
    expect(error.providerCode).toBe('invalid_api_key');
  });

  it('400 moderation_blocked is moderation', async () => {
    fake.script.next({
      kind: 'json',
      status: 400,
      body: openaiError('Your request was rejected by the safety system. safety_violations=[violence].', 'image_generation_user_error', 'moderation_blocked'),
    });
    const error = await rejection(openaiAdapter.submit(request(), ctx()), 'moderation');
    expect(error.providerCode).toBe('moderation_blocked');
  });

  it('400 invalid_value is bad_request', async () => {
    fake.script.next({ kind: 'json', status: 400, body: openaiError("Invalid value: 'ultra'. Supported values are: 'low', 'medium', 'high', and 'auto'.", 'invalid_request_error', 'invalid_value', 'quality') });
    await rejection(openaiAdapter.submit(request(), ctx()), 'bad_request');
  });

  it('a 200 that is not an ImagesResponse is malformed_response', async () => {
    fake.script.next({ kind: 'text', status: 200, body: '{"created": 1, "data": [' });
    await rejection(openaiAdapter.submit(request(), ctx()), 'malformed_response');
    fake.script.next({ kind: 'json', status: 200, body: { created: 1, data: [] } });
    await rejection(openaiAdapter.submit(request(), ctx()), 'malformed_response');
  });

  it('a hanging request ends as timeout when the attempt signal aborts', async () => {
    const controller = new AbortController();
    fake.script.next({ kind: 'hang' });
    const arrived = fake.script.arrival();
    const pending = openaiAdapter.submit(request(), ctx({ signal: controller.signal }));
    await arrived;
    controller.abort();
    await rejection(pending, 'timeout');
  });

  it('parses OpenAI reset durations', () => {
    expect(parseResetDuration('20ms')).toBe(20);
    expect(parseResetDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseResetDuration('soon')).toBeUndefined();
  });
});
