// The simulated fleet: a twin of each real provider that answers in-process with real media.
// The embedded default serves every provider without credentials with its twin; tests script
// outcomes per call to drive retries, failover and fail-fast paths.
import { PROVIDERS } from '../../catalog/providers.ts';
import type { ProviderId } from '../../catalog/types.ts';
import { type AdapterContext, type ErrorClass, type NormalizedRequest, type ProviderAdapter, ProviderError, type ProviderOutput } from '../types.ts';
import { simulatedMedia } from './media.ts';

export type SimOutcome =
  | { kind: 'succeed' }
  | { kind: 'fail'; errorClass: ErrorClass; message?: string; retryAfterMs?: number }
  /** Never answers: the attempt ends only when its signal aborts (timeout or cancel). */
  | { kind: 'hang' };

export interface SimulationOptions {
  /** Decides each submit's outcome; default: succeed. */
  decide?: (req: NormalizedRequest, provider: ProviderId) => SimOutcome | Promise<SimOutcome>;
  /** Simulated processing time in ms (0: answer at once). */
  latencyMs?: (req: NormalizedRequest, provider: ProviderId) => number;
}

function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ProviderError('timeout', 'aborted'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ProviderError('timeout', 'the simulated provider was aborted'));
    };
    const timer = Number.isFinite(ms) ? setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms) : undefined;
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function createSimulatedAdapter(id: ProviderId, options: SimulationOptions = {}): ProviderAdapter {
  const profile = PROVIDERS[id];
  const outputs = async (req: NormalizedRequest): Promise<ProviderOutput[]> => {
    const format = req.output_format ?? (req.model_type === 'video' ? 'mp4' : 'png');
    const files: ProviderOutput[] = [];
    for (let i = 0; i < req.output_number; i++) {
      const f = await simulatedMedia(format, `${req.prompt}#${i}`, req.ratio);
      files.push({ kind: 'inline', data: f.data, content_type: f.content_type });
    }
    return files;
  };
  return {
    id,
    defaultBaseUrl: 'simulated://',
    credentialEnv: {},
    deliveryMethod: profile.delivery_method,
    cancelMethod: profile.cancel_method,
    webhookVerification: null,
    async submit(req: NormalizedRequest, ctx: AdapterContext) {
      const outcome = (await options.decide?.(req, id)) ?? { kind: 'succeed' };
      if (outcome.kind === 'hang') await waitOrAbort(Number.POSITIVE_INFINITY, ctx.signal);
      const latency = options.latencyMs?.(req, id) ?? 0;
      if (latency > 0) await waitOrAbort(latency, ctx.signal);
      if (outcome.kind === 'fail') {
        throw new ProviderError(outcome.errorClass, outcome.message ?? `simulated ${outcome.errorClass} from ${id}`, { retryAfterMs: outcome.retryAfterMs });
      }
      return { kind: 'completed', provider_job_id: `sim_${id}_${req.attempt_id}`, outputs: await outputs(req) };
    },
    async status() {
      return { kind: 'failed', error: new ProviderError('not_found', 'the simulated fleet answers synchronously') };
    },
    async cancel() {
      return true;
    },
    async download(output: ProviderOutput) {
      if (output.kind !== 'inline') throw new ProviderError('not_found', 'simulated outputs are inline');
      return { data: output.data, content_type: output.content_type };
    },
  };
}
