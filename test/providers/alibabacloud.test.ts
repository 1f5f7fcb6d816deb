import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alibabacloudAdapter } from '../../src/providers/alibabacloud/adapter.ts';
import { type AdapterContext, type NormalizedRequest, ProviderError } from '../../src/providers/types.ts';
import { type DashScopeFake, type DashScopeFault, startDashScopeFake } from '../fakes/providers/alibabacloud.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
let fake: DashScopeFake;
let controller: AbortController;

function ctx(): AdapterContext {
  return { fetch: globalThis.fetch, baseUrl: fake.url, credentials: { apiKey: 'sk-ds' }, signal: controller.signal, now: () => NOW };
}

function video(overrides: Partial<NormalizedRequest> = {}): NormalizedRequest {
  return {
    generation_id: 'gen-1',
    attempt_id: 'att-1',
    model_identifier: 'alibaba/wan-2.5-t2v',
    model_type: 'video',
    raw_model_id: 'wan2.5-t2v-preview',
    prompt: 'lanterns rise over a night river',
    ratio: '16:9',
    output_format: 'mp4',
    output_number: 1,
    duration_seconds: 5,
    resolution: '1080p',
    input_files: [],
    specific: {},
    ...overrides,
  };
}

function image(overrides: Partial<NormalizedRequest> = {}): NormalizedRequest {
  return video({
    model_identifier: 'alibaba/wan-2.2-t2i',
    model_type: 'image',
    raw_model_id: 'wan2.2-t2i-flash',
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
  fake = await startDashScopeFake();
  controller = new AbortController();
});
afterEach(async () => {
  controller.abort();
  await fake.close();
});

describe('alibabacloud payload mapping', () => {
  it('sends text-to-video async with the Wan size for ratio and tier, duration, audio and seed', async () => {
    await alibabacloudAdapter.submit(video({ generate_audio: true, specific: { seed: 3, negative_prompt: 'text', prompt_extend: false } }), ctx());
    const sent = fake.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/api/v1/services/aigc/video-generation/video-synthesis');
    expect(sent.headers.authorization).toBe('Bearer sk-ds');
    expect(sent.headers['x-dashscope-async']).toBe('enable');
    expect(sent.json).toEqual({
      model: 'wan2.5-t2v-preview',
      input: { prompt: 'lanterns rise over a night river', negative_prompt: 'text' },
      parameters: { size: '1920*1080', duration: 5, audio: true, seed: 3, prompt_extend: false },
    });
  });

  it('sends image-to-video with img_url and a resolution tier', async () => {
    await alibabacloudAdapter.submit(video({ raw_model_id: 'wan2.5-i2v-preview', resolution: '720p', input_files: ['https://in.example/a.png'] }), ctx());
    expect(fake.requests[0]!.json).toEqual({
      model: 'wan2.5-i2v-preview',
      input: { prompt: 'lanterns rise over a night river', img_url: 'https://in.example/a.png' },
      parameters: { resolution: '720P', duration: 5 },
    });
  });

  it('sends first and last frame to the image2video path for keyframe models', async () => {
    const req = video({ raw_model_id: 'wan2.1-kf2v-plus', resolution: '720p', input_files: ['https://in.example/a.png'], last_frame: 'https://in.example/z.png' });
    await alibabacloudAdapter.submit(req, ctx());
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/api/v1/services/aigc/image2video/video-synthesis');
    expect(sent.json).toMatchObject({ input: { first_frame_url: 'https://in.example/a.png', last_frame_url: 'https://in.example/z.png' } });
  });

  it('sends text-to-image with n and a width*height size for the ratio', async () => {
    await alibabacloudAdapter.submit(image({ ratio: '16:9', output_number: 2, specific: { seed: 9, watermark: false } }), ctx());
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/api/v1/services/aigc/text2image/image-synthesis');
    expect(sent.json).toEqual({
      model: 'wan2.2-t2i-flash',
      input: { prompt: 'lanterns rise over a night river' },
      parameters: { n: 2, size: '1360*768', seed: 9, watermark: false },
    });
  });
});

describe('alibabacloud task lifecycle', () => {
  it('submits an image task, polls to SUCCEEDED and downloads every result', async () => {
    const submitted = await alibabacloudAdapter.submit(image({ output_number: 2 }), ctx());
    expect(submitted).toEqual({ kind: 'pending', provider_job_id: 'task-1', poll_after_ms: 3000 });
    expect(await alibabacloudAdapter.status('task-1', image(), ctx())).toEqual({ kind: 'pending', poll_after_ms: 3000 });
    expect((await alibabacloudAdapter.status('task-1', image(), ctx())).kind).toBe('pending');
    const done = await alibabacloudAdapter.status('task-1', image(), ctx());
    expect(done).toEqual({
      kind: 'completed',
      outputs: [
        { kind: 'url', url: `${fake.url}/files/task-1-0.jpg` },
        { kind: 'url', url: `${fake.url}/files/task-1-1.jpg` },
      ],
    });
    if (done.kind !== 'completed') throw new Error('unreachable');
    expect(await alibabacloudAdapter.download(done.outputs[1]!, ctx())).toEqual({ data: fake.fileBytes, content_type: 'image/jpeg' });
    expect(fake.requests[1]).toMatchObject({ method: 'GET', path: '/api/v1/tasks/task-1' });
    expect(fake.requests[1]!.headers['x-dashscope-async']).toBeUndefined();
  });

  it('submits a video task and completes with output.video_url', async () => {
    fake.script([{ status: 'RUNNING' }, { status: 'SUCCEEDED' }]);
    await alibabacloudAdapter.submit(video(), ctx());
    expect(await alibabacloudAdapter.status('task-1', video(), ctx())).toEqual({ kind: 'pending', poll_after_ms: 15000 });
    const done = await alibabacloudAdapter.status('task-1', video(), ctx());
    expect(done).toEqual({ kind: 'completed', outputs: [{ kind: 'url', url: `${fake.url}/files/task-1.mp4` }] });
  });

  it('cancels a PENDING task and then reports it canceled', async () => {
    fake.script([{ status: 'PENDING' }]);
    await alibabacloudAdapter.submit(video(), ctx());
    expect(await alibabacloudAdapter.cancel!('task-1', video(), ctx())).toBe(true);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/tasks/task-1/cancel' });
    expect(await alibabacloudAdapter.status('task-1', video(), ctx())).toEqual({ kind: 'canceled' });
  });

  it('reports false when DashScope refuses to cancel a task that already runs', async () => {
    fake.script([{ status: 'RUNNING' }]);
    await alibabacloudAdapter.submit(video(), ctx());
    expect(await alibabacloudAdapter.cancel!('task-1', video(), ctx())).toBe(false);
  });

  it('an UNKNOWN task (expired or never existed) fails as not_found', async () => {
    fake.script([{ status: 'UNKNOWN' }]);
    await alibabacloudAdapter.submit(video(), ctx());
    const result = await alibabacloudAdapter.status('task-1', video(), ctx());
    if (result.kind !== 'failed') throw new Error(`expected failed, got ${result.kind}`);
    expect(result.error.errorClass).toBe('not_found');
  });
});

describe('alibabacloud error classes', () => {
  const cases: [DashScopeFault, string, number | undefined][] = [
    ['rate_limited', 'rate_limited', 2000],
    ['unavailable', 'provider_unavailable', undefined],
    ['malformed', 'malformed_response', undefined],
    ['auth', 'auth', undefined],
    ['bad_request', 'bad_request', undefined],
    ['out_of_credit', 'out_of_credit', undefined],
    ['moderation', 'moderation', undefined],
  ];
  it.each(cases)('a %s answer on submit becomes %s', async (fault, errorClass, retryAfterMs) => {
    void fake.failNext(fault);
    const error = await rejection(alibabacloudAdapter.submit(video(), ctx()));
    expect(error.errorClass).toBe(errorClass);
    expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  it('a 429 while polling keeps the provider code and retry hint', async () => {
    await alibabacloudAdapter.submit(video(), ctx());
    void fake.failNext('rate_limited');
    const error = await rejection(alibabacloudAdapter.status('task-1', video(), ctx()));
    expect(error).toMatchObject({ errorClass: 'rate_limited', providerCode: 'Throttling.RateQuota', retryAfterMs: 2000 });
  });

  it('a task FAILED with DataInspectionFailed is moderation', async () => {
    fake.script([{ status: 'FAILED', code: 'DataInspectionFailed', message: 'Output data may contain inappropriate content.' }]);
    await alibabacloudAdapter.submit(video(), ctx());
    const result = await alibabacloudAdapter.status('task-1', video(), ctx());
    if (result.kind !== 'failed') throw new Error(`expected failed, got ${result.kind}`);
    expect(result.error).toMatchObject({ errorClass: 'moderation', providerCode: 'DataInspectionFailed' });
  });

  it('an image task whose every result was blocked fails as moderation', async () => {
    fake.script([{ status: 'SUCCEEDED', code: 'DataInspectionFailed', message: 'blocked' }]);
    await alibabacloudAdapter.submit(image(), ctx());
    const result = await alibabacloudAdapter.status('task-1', image(), ctx());
    if (result.kind !== 'failed') throw new Error(`expected failed, got ${result.kind}`);
    expect(result.error.errorClass).toBe('moderation');
  });

  it('a request the API holds open ends as timeout when the attempt is aborted', async () => {
    const arrived = fake.failNext('hang');
    const pending = alibabacloudAdapter.submit(video(), ctx());
    await arrived;
    controller.abort();
    expect((await rejection(pending)).errorClass).toBe('timeout');
  });
});
