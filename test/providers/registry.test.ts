import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/catalog/providers.ts';
import { PROVIDER_IDS } from '../../src/catalog/types.ts';
import { REAL_ADAPTERS } from '../../src/providers/index.ts';
import { buildProviders } from '../../src/worker/providers.ts';

describe('provider registry', () => {
  it('there is one real adapter per contract provider', () => {
    expect(REAL_ADAPTERS.map((a) => a.id).sort()).toEqual([...PROVIDER_IDS].sort());
  });

  it('each adapter declares the delivery, cancel and webhook methods its public profile advertises', () => {
    for (const a of REAL_ADAPTERS) {
      const p = PROVIDERS[a.id];
      expect({ id: a.id, delivery: a.deliveryMethod, cancel: a.cancelMethod, webhook: a.webhookVerification })
        .toEqual({ id: a.id, delivery: p.delivery_method, cancel: p.cancel_method, webhook: p.webhook_verification });
      expect(a.cancelMethod === null).toBe(a.cancel === undefined);
    }
  });

  it('a provider with credentials is served by its real adapter; without them by its simulated twin, or not at all', () => {
    const withFal = buildProviders({ real: REAL_ADAPTERS, env: { FAL_KEY: 'k' }, simulate: true });
    expect(withFal.get('fal')?.adapter).toBe(REAL_ADAPTERS.find((a) => a.id === 'fal'));
    expect(withFal.get('replicate')?.adapter.defaultBaseUrl).toBe('simulated://');
    const bfl = buildProviders({ real: REAL_ADAPTERS, env: { BFL_API_KEY: 'k' }, simulate: false });
    expect(bfl.get('bfl')?.credentials).toEqual({ apiKey: 'k', webhookSecret: '' });
    expect(bfl.has('replicate')).toBe(false);
  });
});
