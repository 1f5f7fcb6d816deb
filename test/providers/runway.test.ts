import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runwayAdapter } from '../../src/providers/runway/adapter.ts';
import { type AdapterContext, type NormalizedRequest, ProviderError } from '../../src/providers/types.ts';
import { type RunwayFake, type RunwayFault, startRunwayFake } from '../fakes/providers/runway.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
let fake: RunwayFake;
let controller: AbortController;

function ctx(): AdapterContext {
  return { fetch: globalThis.fetch, baseUrl: fake.url, credentials: { apiKey: 'rw-key' }, signal: controller.signal, now: () => NOW };
}

function request(overrides: Partial<NormalizedRequest> = {}): NormalizedRequest {
  return {
    generation_id: 'gen-1',
    attempt_id: 'att-1',
    model_identifier: 'runway/gen4.5',
    model_type: 'video',
    raw_model_id: 'gen4.5',
    prompt: 'a heron lifts off a misty lake',
    ratio: '16:9',
    output_format: 'mp4',
    output_number: 1,
    duration_seconds: 5,
    input_files: [],
    specific: {},
    ...overrides,
  };
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
  fake = await startRunwayFake();
  controller = new AbortController();
});
afterEach(async () => {
  controller.abort();
  await fake.close();
});

describe('runway payload mapping', () => {
  it('sends text-to-video with the model pixel ratio, duration, seed and the version header', async () => {
    await runwayAdapter.submit(request({ specific: { seed: 42 } }), ctx());
    const sent = fake.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/text_to_video');
    expect(sent.headers.authorization).toBe('Bearer rw-key');
    expect(sent.headers['x-runway-version']).toBe('2024-11-06');
    expect(sent.json).toEqual({ model: 'gen4.5', promptText: 'a heron lifts off a misty lake', ratio: '1280:720', seed: 42, duration: 5 });
  });

  it('sends image-to-video with first and last frame, audio and a 1080p size for veo3.1', async () => {
    const req = request({
      raw_model_id: 'veo3.1',
      ratio: '9:16',
      resolution: '1080p',
      duration_seconds: 8,
      generate_audio: true,
      input_files: ['https://in.example/first.png'],
      last_frame: 'https://in.example/last.png',
      specific: { seed: 7, negative_prompt: 'blur' },
    });
    await runwayAdapter.submit(req, ctx());
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/image_to_video');
    expect(sent.json).toEqual({
      model: 'veo3.1',
      promptText: 'a heron lifts off a misty lake',
      ratio: '1080:1920',
      promptImage: [
        { uri: 'https://in.example/first.png', position: 'first' },
        { uri: 'https://in.example/last.png', position: 'last' },
      ],
      duration: 8,
      audio: true,
      negativePrompt: 'blur',
    });
  });

  it('sends text-to-image with output count, output format and reference images', async () => {
    const req = request({
      model_type: 'image',
      raw_model_id: 'seedream5_pro',
      ratio: '1:1',
      resolution: '2K',
      output_format: 'jpg',
      output_number: 3,
      duration_seconds: undefined,
      input_files: ['https://in.example/ref.png'],
    });
    await runwayAdapter.submit(req, ctx());
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/text_to_image');
    expect(sent.json).toEqual({
      model: 'seedream5_pro',
      promptText: 'a heron lifts off a misty lake',
      ratio: '2048:2048',
      referenceImages: [{ uri: 'https://in.example/ref.png' }],
      outputCount: 3,
      outputFormat: 'jpeg',
    });
  });

  it('fails over (not_found) when asked for several images from a model that makes one per task', async () => {
    const req = request({ model_type: 'image', raw_model_id: 'gen4_image', output_number: 2, duration_seconds: undefined });
    const error = await rejection(runwayAdapter.submit(req, ctx()));
    expect(error.errorClass).toBe('not_found');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('runway task lifecycle', () => {
  it('submits, polls through THROTTLED and RUNNING, completes and downloads the output bytes', async () => {
    fake.script([{ status: 'THROTTLED' }, { status: 'RUNNING' }, { status: 'SUCCEEDED' }]);
    const submitted = await runwayAdapter.submit(request(), ctx());
    expect(submitted).toEqual({ kind: 'pending', provider_job_id: 'task-1', poll_after_ms: 5000 });
    expect(await runwayAdapter.status('task-1', request(), ctx())).toEqual({ kind: 'pending', poll_after_ms: 5000 });
    expect(await runwayAdapter.status('task-1', request(), ctx())).toEqual({ kind: 'pending', poll_after_ms: 5000 });
    const done = await runwayAdapter.status('task-1', request(), ctx());
    expect(done).toEqual({ kind: 'completed', outputs: [{ kind: 'url', url: `${fake.url}/files/task-1.mp4` }] });
    if (done.kind !== 'completed') throw new Error('unreachable');
    const file = await runwayAdapter.download(done.outputs[0]!, ctx());
    expect(file.content_type).toBe('video/mp4');
    expect(file.data).toEqual(fake.fileBytes);
    const poll = fake.requests.find((r) => r.method === 'GET' && r.path === '/v1/tasks/task-1')!;
    expect(poll.headers['x-runway-version']).toBe('2024-11-06');
  });

  it('cancels a running task with DELETE and then reports it canceled', async () => {
    fake.script([{ status: 'RUNNING' }]);
    await runwayAdapter.submit(request(), ctx());
    expect(await runwayAdapter.cancel!('task-1', request(), ctx())).toBe(true);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/tasks/task-1' });
    expect(await runwayAdapter.status('task-1', request(), ctx())).toEqual({ kind: 'canceled' });
  });

  it('reports false when cancelling a task Runway does not know', async () => {
    expect(await runwayAdapter.cancel!('task-404', request(), ctx())).toBe(false);
  });
});

describe('runway error classes', () => {
  const cases: [RunwayFault, string, number | undefined][] = [
    ['rate_limited', 'rate_limited', 7000],
    ['unavailable', 'provider_unavailable', undefined],
    ['malformed', 'malformed_response', undefined],
    ['auth', 'auth', undefined],
    ['bad_request', 'bad_request', undefined],
    ['out_of_credit', 'out_of_credit', undefined],
  ];
  it.each(cases)('a %s answer on submit becomes %s', async (fault, errorClass, retryAfterMs) => {
    void fake.failNext(fault);
    const error = await rejection(runwayAdapter.submit(request(), ctx()));
    expect(error.errorClass).toBe(errorClass);
    expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  it('a 429 while polling is rate_limited with the Retry-After hint', async () => {
    await runwayAdapter.submit(request(), ctx());
    void fake.failNext('rate_limited');
    const error = await rejection(runwayAdapter.status('task-1', request(), ctx()));
    expect(error).toMatchObject({ errorClass: 'rate_limited', retryAfterMs: 7000, httpStatus: 429 });
  });

  it.each([
    ['SAFETY.INPUT.TEXT', 'moderation'],
    ['SAFETY.OUTPUT.VIDEO', 'moderation'],
    ['INPUT_PREPROCESSING.SAFETY.TEXT', 'moderation'],
    ['INTERNAL.BAD_OUTPUT.CODE01', 'unknown'],
    ['INPUT_PREPROCESSING.INTERNAL', 'provider_unavailable'],
  ])('a task that failed with %s is classified %s', async (failureCode, errorClass) => {
    fake.script([{ status: 'FAILED', failureCode, failure: 'rejected' }]);
    await runwayAdapter.submit(request(), ctx());
    const result = await runwayAdapter.status('task-1', request(), ctx());
    expect(result.kind).toBe('failed');
    if (result.kind !== 'failed') throw new Error('unreachable');
    expect(result.error).toMatchObject({ errorClass, providerCode: failureCode });
  });

  it('a request the API holds open ends as timeout when the attempt is aborted', async () => {
    const arrived = fake.failNext('hang');
    const pending = runwayAdapter.submit(request(), ctx());
    await arrived;
    controller.abort();
    const error = await rejection(pending);
    expect(error.errorClass).toBe('timeout');
  });
});
