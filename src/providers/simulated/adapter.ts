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
  /**
   * Answer like an async provider: submit returns a job id, status reports it ready once the
   * latency has passed. The job id carries its own fate, so any worker process can poll it.
   */
  async?: (req: NormalizedRequest, provider: ProviderId) => boolean;
}

export interface SimJob {
  readyAtMs: number;
  outcome: SimOutcome;
}

export function encodeJob(id: ProviderId, attemptId: string, job: SimJob): string {
  return `sim_${id}_${btoa(JSON.stringify(job)).replace(/=+$/, '')}_${attemptId}`;
}

function decodeJob(jobId: string): SimJob | undefined {
  const part = jobId.split('_')[2];
  try {
    return part ? (JSON.parse(atob(part)) as SimJob) : undefined;
  } catch {
    return undefined;
  }
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

export async function simulatedSignature(secret: string, rawBody: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret || 'simulated-development-secret'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(rawBody)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
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
    webhookVerification: 'hmac_sha256',
    async submit(req: NormalizedRequest, ctx: AdapterContext) {
      const outcome = (await options.decide?.(req, id)) ?? { kind: 'succeed' };
      const latency = options.latencyMs?.(req, id) ?? 0;
      if (options.async?.(req, id) && outcome.kind !== 'hang') {
        const job = encodeJob(id, req.attempt_id, { readyAtMs: ctx.now() + latency, outcome });
        // like real providers' hints: check again within a second, however long the job takes
        return { kind: 'pending', provider_job_id: job, poll_after_ms: Math.min(1000, Math.max(1, Math.round(latency))) };
      }
      if (outcome.kind === 'hang') await waitOrAbort(Number.POSITIVE_INFINITY, ctx.signal);
      if (latency > 0) await waitOrAbort(latency, ctx.signal);
      if (outcome.kind === 'fail') {
        throw new ProviderError(outcome.errorClass, outcome.message ?? `simulated ${outcome.errorClass} from ${id}`, { retryAfterMs: outcome.retryAfterMs });
      }
      return { kind: 'completed', provider_job_id: `sim_${id}_${req.attempt_id}`, outputs: await outputs(req) };
    },
    async status(jobId: string, req: NormalizedRequest, ctx: AdapterContext) {
      const job = decodeJob(jobId);
      if (!job) return { kind: 'failed', error: new ProviderError('not_found', `no simulated job ${jobId}`) };
      if (ctx.now() < job.readyAtMs) return { kind: 'pending', poll_after_ms: Math.min(1000, Math.max(1, Math.round(job.readyAtMs - ctx.now()))) };
      if (job.outcome.kind === 'fail') {
        return { kind: 'failed', error: new ProviderError(job.outcome.errorClass, job.outcome.message ?? `simulated ${job.outcome.errorClass} from ${id}`) };
      }
      return { kind: 'completed', outputs: await outputs(req) };
    },
    async cancel() {
      return true;
    },
    // The twin signs its webhooks like a real provider: hex HMAC-SHA256 of the raw body, with the
    // deployment's secret (a fixed development secret when none is configured).
    async verifyWebhook(headers: Headers, rawBody: string, secret: string) {
      const expected = await simulatedSignature(secret, rawBody);
      if (headers.get('x-simulated-signature') !== expected) throw new ProviderError('auth', 'bad simulated webhook signature');
      const body = JSON.parse(rawBody) as { job_id: string; status: 'succeeded' | 'failed' };
      if (body.status === 'failed') return { provider_job_id: body.job_id, result: { kind: 'failed', error: new ProviderError('provider_unavailable', 'simulated failure') } };
      const file = await simulatedMedia('png', body.job_id, '1:1');
      return { provider_job_id: body.job_id, result: { kind: 'completed', outputs: [{ kind: 'inline', data: file.data, content_type: file.content_type }] } };
    },
    async download(output: ProviderOutput) {
      if (output.kind !== 'inline') throw new ProviderError('not_found', 'simulated outputs are inline');
      return { data: output.data, content_type: output.content_type };
    },
  };
}
