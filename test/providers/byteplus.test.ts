import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { byteplusAdapter } from '../../src/providers/byteplus/adapter.ts';
import { type AdapterContext, type NormalizedRequest, ProviderError } from '../../src/providers/types.ts';
import { type BytePlusFake, type BytePlusFault, startBytePlusFake } from '../fakes/providers/byteplus.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
let fake: BytePlusFake;
let controller: AbortController;

function ctx(): AdapterContext {
  return { fetch: globalThis.fetch, baseUrl: fake.url, credentials: { apiKey: 'ark-key' }, signal: controller.signal, now: () => NOW };
}

function video(overrides: Partial<NormalizedRequest> = {}): NormalizedRequest {
  return {
    generation_id: 'gen-1',
    attempt_id: 'att-1',
    model_identifier: 'bytedance/seedance-1.5-pro',
    model_type: 'video',
    raw_model_id: 'seedance-1-5-pro-251215',
    prompt: 'a paper boat drifts down a rainy street',
    ratio: '16:9',
    output_format: 'mp4',
    output_number: 1,
    duration_seconds: 5,
    resolution: '720p',
    input_files: [],
    specific: {},
    ...overrides,
  };
}

function image(overrides: Partial<NormalizedRequest> = {}): NormalizedRequest {
  return video({
    model_identifier: 'bytedance/seedream-4',
    model_type: 'image',
    raw_model_id: 'seedream-4-0-250828',
    output_format: 'png',
    duration_seconds: undefined,
    resolution: undefined,
    ...overrides,
  });
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
  fake = await startBytePlusFake();
  controller = new AbortController();
});
afterEach(async () => {
  controller.abort();
  await fake.close();
});

describe('byteplus payload mapping', () => {
  it('sends a video task with content roles, ratio, duration, resolution, audio, seed and callback_url', async () => {
    const req = video({
      generate_audio: true,
      input_files: ['https://in.example/first.png'],
      last_frame: 'https://in.example/last.png',
      webhook_url: 'https://hooks.example/byteplus',
      specific: { seed: 11, camera_fixed: true, unknown_key: 'dropped' },
    });
    await byteplusAdapter.submit(req, ctx());
    const sent = fake.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/api/v3/contents/generations/tasks');
    expect(sent.headers.authorization).toBe('Bearer ark-key');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.json).toEqual({
      model: 'seedance-1-5-pro-251215',
      content: [
        { type: 'text', text: 'a paper boat drifts down a rainy street' },
        { type: 'image_url', image_url: { url: 'https://in.example/first.png' }, role: 'first_frame' },
        { type: 'image_url', image_url: { url: 'https://in.example/last.png' }, role: 'last_frame' },
      ],
      ratio: '16:9',
      duration: 5,
      resolution: '720p',
      generate_audio: true,
      callback_url: 'https://hooks.example/byteplus',
      seed: 11,
      camera_fixed: true,
    });
  });

  it('sends several input files as reference images', async () => {
    await byteplusAdapter.submit(video({ input_files: ['https://in.example/a.png', 'https://in.example/b.png'] }), ctx());
    const content = (fake.requests[0]!.json as { content: unknown[] }).content;
    expect(content.slice(1)).toEqual([
      { type: 'image_url', image_url: { url: 'https://in.example/a.png' }, role: 'reference_image' },
      { type: 'image_url', image_url: { url: 'https://in.example/b.png' }, role: 'reference_image' },
    ]);
  });

  it('sends an image request with a pixel size for the ratio, multi-image options and output format', async () => {
    const req = image({ ratio: '16:9', resolution: '1K', output_number: 3, output_format: 'jpg', input_files: ['https://in.example/ref.png'], specific: { seed: 5 } });
    await byteplusAdapter.submit(req, ctx());
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/api/v3/images/generations');
    expect(sent.json).toEqual({
      model: 'seedream-4-0-250828',
      prompt: 'a paper boat drifts down a rainy street',
      response_format: 'url',
      size: '1280x720',
      image: 'https://in.example/ref.png',
      sequential_image_generation: 'auto',
      sequential_image_generation_options: { max_images: 3 },
      output_format: 'jpeg',
      seed: 5,
    });
  });
});

describe('byteplus lifecycle', () => {
  it('answers images synchronously and downloads each one', async () => {
    const result = await byteplusAdapter.submit(image({ output_number: 2 }), ctx());
    expect(result.kind).toBe('completed');
    if (result.kind !== 'completed') throw new Error('unreachable');
    expect(result.outputs).toEqual([
      { kind: 'url', url: `${fake.url}/files/image-0.png` },
      { kind: 'url', url: `${fake.url}/files/image-1.png` },
    ]);
    const file = await byteplusAdapter.download(result.outputs[1]!, ctx());
    expect(file).toEqual({ data: fake.fileBytes, content_type: 'image/png' });
  });

  it('submits a video task, polls queued → running → succeeded and downloads the video', async () => {
    const submitted = await byteplusAdapter.submit(video(), ctx());
    expect(submitted).toEqual({ kind: 'pending', provider_job_id: 'cgt-2026-1', poll_after_ms: 10000 });
    expect((await byteplusAdapter.status('cgt-2026-1', video(), ctx())).kind).toBe('pending');
    expect((await byteplusAdapter.status('cgt-2026-1', video(), ctx())).kind).toBe('pending');
    const done = await byteplusAdapter.status('cgt-2026-1', video(), ctx());
    expect(done).toEqual({ kind: 'completed', outputs: [{ kind: 'url', url: `${fake.url}/files/cgt-2026-1.mp4` }] });
    if (done.kind !== 'completed') throw new Error('unreachable');
    expect((await byteplusAdapter.download(done.outputs[0]!, ctx())).data).toEqual(fake.fileBytes);
    expect(fake.requests[1]).toMatchObject({ method: 'GET', path: '/api/v3/contents/generations/tasks/cgt-2026-1' });
  });

  it('cancels a queued task with DELETE, which then reads cancelled', async () => {
    fake.script([{ status: 'queued' }]);
    await byteplusAdapter.submit(video(), ctx());
    expect(await byteplusAdapter.cancel!('cgt-2026-1', video(), ctx())).toBe(true);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/v3/contents/generations/tasks/cgt-2026-1' });
    expect(await byteplusAdapter.status('cgt-2026-1', video(), ctx())).toEqual({ kind: 'canceled' });
  });

  it('reports false when Ark refuses to cancel a running task', async () => {
    fake.script([{ status: 'running' }]);
    await byteplusAdapter.submit(video(), ctx());
    expect(await byteplusAdapter.cancel!('cgt-2026-1', video(), ctx())).toBe(false);
  });

  it('treats an unsigned callback only as a prompt to poll the named task', async () => {
    const body = JSON.stringify({ id: 'cgt-2026-9', status: 'succeeded', content: { video_url: 'https://evil.example/x.mp4' } });
    const event = await byteplusAdapter.verifyWebhook!(new Headers(), body, 'unused', { now: () => NOW, fetch: globalThis.fetch });
    expect(event).toEqual({ provider_job_id: 'cgt-2026-9', result: { kind: 'pending', poll_after_ms: 0 } });
  });
});

describe('byteplus error classes', () => {
  const cases: [BytePlusFault, string, number | undefined][] = [
    ['rate_limited', 'rate_limited', 3000],
    ['unavailable', 'provider_unavailable', undefined],
    ['malformed', 'malformed_response', undefined],
    ['auth', 'auth', undefined],
    ['bad_request', 'bad_request', undefined],
    ['out_of_credit', 'out_of_credit', undefined],
    ['moderation', 'moderation', undefined],
  ];
  it.each(cases)('a %s answer on video submit becomes %s', async (fault, errorClass, retryAfterMs) => {
    void fake.failNext(fault);
    const error = await rejection(byteplusAdapter.submit(video(), ctx()));
    expect(error.errorClass).toBe(errorClass);
    expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  it.each(cases)('a %s answer on image submit becomes %s', async (fault, errorClass) => {
    void fake.failNext(fault);
    const error = await rejection(byteplusAdapter.submit(image(), ctx()));
    expect(error.errorClass).toBe(errorClass);
  });

  it('keeps the Ark error code on the error', async () => {
    void fake.failNext('out_of_credit');
    const error = await rejection(byteplusAdapter.submit(video(), ctx()));
    expect(error).toMatchObject({ providerCode: 'AccountOverdueError', httpStatus: 403 });
  });

  it.each([
    ['OutputVideoSensitiveContentDetected', 'moderation'],
    ['InternalServiceError', 'provider_unavailable'],
  ])('a task that failed with %s is classified %s', async (code, errorClass) => {
    fake.script([{ status: 'failed', error: { code, message: 'no' } }]);
    await byteplusAdapter.submit(video(), ctx());
    const result = await byteplusAdapter.status('cgt-2026-1', video(), ctx());
    if (result.kind !== 'failed') throw new Error(`expected failed, got ${result.kind}`);
    expect(result.error).toMatchObject({ errorClass, providerCode: code });
  });

  it('a request the API holds open ends as timeout when the attempt is aborted', async () => {
    const arrived = fake.failNext('hang');
    const pending = byteplusAdapter.submit(video(), ctx());
    await arrived;
    controller.abort();
    expect((await rejection(pending)).errorClass).toBe('timeout');
  });
});
