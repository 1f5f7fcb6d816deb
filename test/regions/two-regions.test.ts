// Two regions side by side, as deployed: two databases on one Postgres, each with its own stack
// and REGION. A region is its own deployment, so its keys, generations, provider availability and
// cache keys are its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allModels, findModel } from '../../src/catalog/index.ts';
import { REGIONS } from '../../src/catalog/types.ts';
import { loadConfig } from '../../src/config.ts';
import { rankingKey, regionKeyPattern } from '../../src/routing/keys.ts';
import { call } from '../contract/target.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let us: TestStack;
let jp: TestStack;
beforeAll(async () => {
  [us, jp] = await Promise.all([startTestStack({ region: 'us', worker: false }), startTestStack({ region: 'jp', worker: false })]);
});
afterAll(async () => {
  await Promise.all([us?.close(), jp?.close()]);
});

const dbOf = (s: TestStack) => new URL(s.pool.options.connectionString as string);
const seedance = '/v1/generate/video/bytedance/seedance-1-pro';
const seedanceBody = (order?: string) => ({ generation_prompt: 'waves', generation_duration: 5, generation_resolution: '480p', ...(order ? { generation_provider_order: order } : {}) });

describe('two regions side by side', () => {
  it('each region has its own database on the same Postgres server', () => {
    expect(dbOf(us).host).toBe(dbOf(jp).host);
    expect(dbOf(us).pathname).not.toBe(dbOf(jp).pathname);
  });

  it('an API key issued in one region is not valid in the other (401 BSE1002 both ways)', async () => {
    expect((await call(us, 'GET', '/v1/content/list')).status).toBe(200);
    expect((await call(jp, 'GET', '/v1/content/list')).status).toBe(200);
    const usKeyInJp = await call({ url: jp.url, apiKey: us.apiKey }, 'GET', '/v1/content/list');
    expect(usKeyInJp.status).toBe(401);
    expect(usKeyInJp.json.error.code).toBe('BSE1002');
    expect((await call({ url: us.url, apiKey: jp.apiKey }, 'GET', '/v1/content/list')).json.error.code).toBe('BSE1002');
  });

  it('a generation lives in the region that accepted it: the other region does not know it', async () => {
    const created = await call(us, 'POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'regional' } });
    expect(created.status).toBe(200);
    const id = created.json.data.generation_id as string;
    const row = await us.db.selectFrom('api.generations_v').select('generation_id').where('generation_id', '=', id).executeTakeFirst();
    expect(row?.generation_id).toBe(id);
    expect(await jp.db.selectFrom('api.generations_v').select('generation_id').where('generation_id', '=', id).executeTakeFirst()).toBeUndefined();
  });

  it('provider availability is per region: BytePlus serves Seedance in jp only, so us drops it from the order and refuses it when asked for', async () => {
    const model = findModel('bytedance/seedance-1-pro');
    expect(model?.providers.byteplus?.regions).toEqual(['jp']);

    const inJp = await call(jp, 'POST', seedance, { body: seedanceBody() });
    expect(inJp.status, JSON.stringify(inJp.json)).toBe(200);
    expect(inJp.json.data.generation_provider_order[0]).toBe('byteplus');
    const inUs = await call(us, 'POST', seedance, { body: seedanceBody() });
    expect(inUs.status).toBe(200);
    expect(inUs.json.data.generation_provider_order).not.toContain('byteplus');

    expect((await call(jp, 'POST', seedance, { body: seedanceBody('byteplus') })).status).toBe(200);
    const refused = await call(us, 'POST', seedance, { body: seedanceBody('byteplus') });
    expect(refused.status).toBe(404);
    expect(refused.json.error.code).toBe('BSE2004');
    expect(refused.json.error.message).toContain('region us');
  });

  it('model health reports availability for the region that answers', async () => {
    const pick = async (s: TestStack) => (await call(s, 'GET', '/v1/health/inference/models')).json.data.models
      .find((m: { model_identifier: string }) => m.model_identifier === 'bytedance/seedance-1-pro').providers.byteplus.available;
    expect(await pick(jp)).toBe(true);
    expect(await pick(us)).toBe(false);
  });

  it('ranking cache keys are prefixed by region, so regions can share one Redis without reading each other', () => {
    const keys = REGIONS.map((r) => rankingKey(r, 'bfl/flux-schnell'));
    expect(keys).toEqual(['seaplane:us:ranking:v1:bfl/flux-schnell', 'seaplane:eu:ranking:v1:bfl/flux-schnell', 'seaplane:jp:ranking:v1:bfl/flux-schnell']);
    expect(new Set(keys).size).toBe(REGIONS.length);
    for (const r of REGIONS) expect(rankingKey(r, 'bfl/flux-schnell').startsWith(regionKeyPattern(r).slice(0, -1))).toBe(true);
    for (const m of allModels()) expect(rankingKey('eu', m.model_identifier)).toBe(`seaplane:eu:ranking:v1:${m.model_identifier}`);
    expect(() => rankingKey('mars' as never, 'bfl/flux-schnell')).toThrow(/unknown region/);
    expect(() => rankingKey('us', 'bfl/flux-schnell:*')).toThrow(/invalid model identifier/);
  });

  it('REGION selects the region and refuses unknown ones', () => {
    expect(loadConfig({ REGION: 'jp' }).region).toBe('jp');
    expect(loadConfig({}).region).toBe('us');
    expect(() => loadConfig({ REGION: 'mars' })).toThrow(/REGION must be one of us, eu, jp/);
  });
});
