// GET /v1/estimate/{model} (contract §12) and the balances the account surfaces show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/ops/accounts.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { ledgerApp } from './app.ts';
import { C, expectLedgerSound, placeHold, T0 } from './helpers.ts';

let t: TestDatabase;
let h: Awaited<ReturnType<typeof ledgerApp>>;
let acct: { accountId: string; key: string };
beforeAll(async () => {
  t = await createTestDatabase();
  h = await ledgerApp(t, { clock: () => T0 });
  acct = await h.account(10 * C);
});
afterAll(async () => {
  await expectLedgerSound(t.db);
  await t.close();
});

const estimate = (path: string, key = acct.key) => h.call('GET', `/v1/estimate/${path}`, { key });

describe('GET /v1/estimate/{model}', () => {
  it('a flat-priced image model: per-generation cost, total for the count (the contract example: 5 x 0.005 = 0.025), and what the balance affords', async () => {
    const r = await estimate('bfl/flux-schnell?count=5');
    expect(r.status).toBe(200);
    expect(r.json.data).toEqual({
      model_identifier: 'bfl/flux-schnell', model_type: 'image', assets_count: 5, cost_per_generation: 0.005,
      cost_total_consumed: 0.025, credit_balance: 10, credit_balance_can_afford: true, credit_balance_max_affordable: 2000,
    });
    expect((await estimate('bfl/flux-schnell')).json.data).toMatchObject({ assets_count: 1, cost_total_consumed: 0.005 });
  });

  it('a resolution-priced video model: the rate at the chosen resolution times the duration', async () => {
    const r = await estimate('bytedance/seedance-1-pro?duration=10&resolution=720p');
    expect(r.json.data).toMatchObject({
      model_type: 'video', cost_per_second: 0.06, duration_seconds: 10, resolution: '720p', cost_per_generation: 0.6,
      cost_total_consumed: 0.6, credit_balance_max_affordable: 16,
    });
    // defaults: the first duration and resolution the model lists
    expect((await estimate('bytedance/seedance-1-pro')).json.data).toMatchObject({ duration_seconds: 5, resolution: '1080p', cost_per_second: 0.15 });
  });

  it('audio tiers: audio=true prices the audio tier', async () => {
    expect((await estimate('google/veo-3?audio=true')).json.data).toMatchObject({ cost_per_second: 0.4, cost_per_generation: 3.2 });
    expect((await estimate('google/veo-3?audio=false&resolution=1080p')).json.data).toMatchObject({ cost_per_second: 0.2, cost_per_generation: 1.6 });
  });

  it('affordability is against the available balance: held credits are not spendable', async () => {
    const b = await h.account(1 * C);
    await placeHold(t.db, b.accountId, 0.6 * C);
    const r = await estimate('bytedance/seedance-1-pro?duration=10&resolution=720p', b.key);
    expect(r.json.data).toMatchObject({ credit_balance: 0.4, credit_balance_can_afford: false, credit_balance_max_affordable: 0 });
    const billing = await h.call('GET', '/v1/user/billing', { key: b.key });
    expect(billing.json.data.billing_credit_balance).toBe(0.4);
  });

  it('invalid options are a 400 BSE2012; an unknown model a 404; the scope is library:read', async () => {
    for (const q of ['bfl/flux-schnell?count=0', 'bfl/flux-schnell?count=10001', 'bfl/flux-schnell?duration=5', 'bytedance/seedance-1-pro?duration=7',
      'bytedance/seedance-1-pro?resolution=4k', 'bytedance/seedance-1-pro?audio=true', 'bfl/flux-schnell?audio=maybe', 'bfl/flux-schnell?colour=red']) {
      const r = await estimate(q);
      expect(r.status, q).toBe(400);
      expect(r.json.error.code, q).toBe('BSE2012');
    }
    expect((await estimate('nobody/nothing')).status).toBe(404);
    const healthOnly = (await createKey(t.db, { accountId: acct.accountId, scopes: ['health:read'] })).api_key;
    expect((await estimate('bfl/flux-schnell', healthOnly)).status).toBe(403);
    const monitor = (await createKey(t.db, { accountId: acct.accountId, scopes: ['health:read', 'library:read'] })).api_key;
    expect((await estimate('bfl/flux-schnell', monitor)).status).toBe(200);
  });
});
