import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mp4Boxes, parsePng } from '../helpers/media.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ credits: 10 });
});
afterAll(async () => {
  await s.close();
});

const balance = async () => (await s.db.selectFrom('api.accounts_v').select('available_microcredits').where('account_id', '=', s.accountId).executeTakeFirstOrThrow()).available_microcredits ?? 0;

describe('one generation end to end', () => {
  it('an image generation goes pending -> processing -> succeeded, stores a valid PNG and charges the flat price', async () => {
    const before = await balance();
    const created = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'a seaplane at dawn' } });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ status: 'success', message: expect.any(String), data: { model_identifier: 'bfl/flux-schnell', generation_initialized: true } });
    expect(created.json.request_id).toMatch(/^req_/);
    expect(created.json.data.generation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.json.data.generation_prediction_id).toEqual(expect.any(String));
    expect(created.json.data.generation_provider_order).toEqual(['replicate', 'fal', 'cloudflare'].filter((p) => created.json.data.generation_provider_order.includes(p)));
    const id = created.json.data.generation_id as string;

    expect(await s.waitForTerminal(id)).toBe('succeeded');
    const got = await s.request('GET', `/v1/content/${id}`);
    expect(got.status).toBe(200);
    const g = got.json.data;
    expect(g).toMatchObject({ account_id: s.accountId, generation_id: id, generation_status: 'succeeded', generation_prompt: 'a seaplane at dawn', generation_output_format: 'png' });
    expect(g.generation_provider_used).toBe(g.generation_provider_order[0]);
    expect(typeof g.generation_started_at).toBe('string');
    expect(typeof g.generation_completed_at).toBe('string');
    expect(g.generation_metrics_total_time).toBeGreaterThanOrEqual(0);
    expect(g.generation_output_file).toHaveLength(1);

    const file = await fetch(g.generation_output_file[0]);
    expect(file.headers.get('content-type')).toBe('image/png');
    const png = parsePng(new Uint8Array(await file.arrayBuffer()));
    expect(png.width).toBeGreaterThan(0);
    expect(before - (await balance())).toBe(5_000); // 0.005 credits
  });

  it('a video generation stores an MP4 with ftyp, moov and mdat boxes and charges per second at the chosen resolution', async () => {
    const before = await balance();
    const created = await s.request('POST', '/v1/generate/video/bytedance/seedance-1-pro', {
      body: { generation_prompt: 'waves', generation_duration: 5, generation_resolution: '480p' },
    });
    expect(created.status).toBe(200);
    const id = created.json.data.generation_id as string;
    expect(await s.waitForTerminal(id)).toBe('succeeded');
    const g = (await s.request('GET', `/v1/content/${id}`)).json.data;
    expect(g).toMatchObject({ generation_duration: 5, generation_resolution: '480p', generation_output_format: 'mp4' });
    const bytes = new Uint8Array(await (await fetch(g.generation_output_file[0])).arrayBuffer());
    expect(mp4Boxes(bytes)).toEqual(expect.arrayContaining(['ftyp', 'moov', 'mdat']));
    expect(before - (await balance())).toBe(5 * 30_000); // 5 s at 0.03/s
  });

  it('the list is paginated with total, limit and offset beside data, newest first', async () => {
    const page = await s.request('GET', '/v1/content/list?limit=1&offset=0');
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({ status: 'success', total: 2, limit: 1, offset: 0 });
    expect(page.json.data.generations).toHaveLength(1);
    expect(page.json.data.generations[0].model_identifier).toBe('bytedance/seedance-1-pro');
    const all = await s.request('GET', '/v1/content/list');
    expect(all.json).toMatchObject({ total: 2, limit: 50, offset: 0 });
  });

  it('delete removes the record and its files; a later read is 404', async () => {
    const created = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'to delete', generation_output_number: 2 } });
    const id = created.json.data.generation_id as string;
    expect(await s.waitForTerminal(id)).toBe('succeeded');
    const files = (await s.request('GET', `/v1/content/${id}`)).json.data.generation_output_file as string[];
    expect(files).toHaveLength(2);
    const del = await s.request('DELETE', `/v1/content/${id}`);
    expect(del.status).toBe(200);
    expect(del.json.data).toEqual({ generation_id: id, files_deleted: 2 });
    expect((await s.request('GET', `/v1/content/${id}`)).status).toBe(404);
    expect((await fetch(files[0] as string)).status).toBe(404);
  });

  it('every response carries X-RateLimit-* and CORS expose headers', async () => {
    const r = await s.request('GET', '/v1/content/list');
    expect(Number(r.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
    expect(r.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(Number(r.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    expect(r.headers.get('access-control-expose-headers')).toContain('Idempotency-Replayed');
  });
});
