// Which adapter serves each provider in this deployment: the real adapter when its credentials
// are in the environment, otherwise (when the deployment allows it) its simulated twin.
import { PROVIDER_IDS, type ProviderId } from '../catalog/types.ts';
import { createSimulatedAdapter, type SimulationOptions } from '../providers/simulated/adapter.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import type { WorkerDeps } from './deps.ts';

export function buildProviders(options: {
  real: readonly ProviderAdapter[];
  env: Record<string, string | undefined>;
  simulate: boolean;
  simulation?: SimulationOptions;
}): WorkerDeps['providers'] {
  const map = new Map<ProviderId, { adapter: ProviderAdapter; baseUrl: string; credentials: Record<string, string> }>();
  for (const id of PROVIDER_IDS) {
    const real = options.real.find((a) => a.id === id);
    if (real) {
      const credentials = Object.fromEntries(Object.entries(real.credentialEnv).map(([name, envVar]) => [name, options.env[envVar] ?? '']));
      // Webhook secrets are optional (without them the attempt is polled); the rest are required.
      if (Object.entries(credentials).every(([name, v]) => v !== '' || name.startsWith('webhook'))) {
        const baseUrl = options.env[`${id.toUpperCase()}_BASE_URL`] ?? real.defaultBaseUrl;
        map.set(id, { adapter: real, baseUrl, credentials });
        continue;
      }
    }
    if (options.simulate) map.set(id, { adapter: createSimulatedAdapter(id, options.simulation), baseUrl: 'simulated://', credentials: {} });
  }
  return map;
}
