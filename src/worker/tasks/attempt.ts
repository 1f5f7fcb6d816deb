// The attempt tasks: run (start, submit, settle or schedule a poll), poll, and cancel. Every
// state change is one SQL function call; this file only talks to providers and storage.
import { findModel } from '../../catalog/index.ts';
import { priceMicro, providerPricing } from '../../catalog/pricing.ts';
import type { ValidatedRequest } from '../../catalog/request-schema.ts';
import type { ModelType, ProviderId } from '../../catalog/types.ts';
import { rpc, rpcOne } from '../../db/rpc.ts';
import { type AdapterContext, type NormalizedRequest, type ProviderAdapter, ProviderError, type ProviderOutput, type StatusResult } from '../../providers/types.ts';
import { sniffFormat } from '../../storage/sniff.ts';
import { artifactKey, CONTENT_TYPES } from '../../storage/types.ts';
import { attemptCalls } from '../attempt-batch.ts';
import { attemptTimeoutFor, retryDelayMs, type WorkerDeps } from '../deps.ts';
import { normalizeRequest } from '../normalize.ts';

interface AttemptScope {
  attemptId: string;
  generationId: string;
  provider: ProviderId;
  tryNumber: number;
  modelType: ModelType;
  req: NormalizedRequest;
  startedMs: number;
}

function contextFor(deps: WorkerDeps, provider: ProviderId, signal: AbortSignal): { adapter: ProviderAdapter; ctx: AdapterContext } | undefined {
  const entry = deps.providers.get(provider);
  if (!entry) return undefined;
  return { adapter: entry.adapter, ctx: { fetch: deps.fetch, baseUrl: entry.baseUrl, credentials: entry.credentials, signal, now: () => deps.clock().getTime() } };
}

/** Runs `fn` with an AbortSignal that fires at the attempt timeout or the generation deadline. */
async function withDeadline<T>(deps: WorkerDeps, provider: ProviderId, modelType: ModelType, deadline: Date, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const budget = Math.min(attemptTimeoutFor(deps, provider, modelType), deadline.getTime() - deps.clock().getTime());
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(0, budget));
  const onStop = () => controller.abort();
  deps.stopSignal?.addEventListener('abort', onStop, { once: true });
  try {
    return await fn(controller.signal);
  } finally {
    clearTimeout(timer);
    deps.stopSignal?.removeEventListener('abort', onStop);
  }
}

async function fail(deps: WorkerDeps, scope: Pick<AttemptScope, 'attemptId' | 'tryNumber'>, err: unknown): Promise<void> {
  // Stopping is not the provider's failure: leave the attempt leased; the reaper moves it on.
  if (deps.stopSignal?.aborted) return;
  const pe = err instanceof ProviderError ? err : new ProviderError('unknown', err instanceof Error ? err.message : String(err));
  const delayMs = retryDelayMs(scope.tryNumber, pe.retryAfterMs);
  const r = await rpcOne(deps.db, 'attempt_fail', {
    p_attempt_id: scope.attemptId, p_error_class: pe.errorClass, p_error_message: pe.message,
    p_max_tries_per_provider: deps.maxTriesPerProvider, p_retry_delay_ms: delayMs, p_now: deps.clock(),
  });
  // a failover (or a retry with no wait) is due now: dispatch it without waiting for a poll
  if (r.outcome === 'failover' || (r.outcome === 'retry' && delayMs === 0)) deps.wakeDispatcher?.();
}

/** Downloads and stores the outputs, then settles; a generation canceled meanwhile discards them. */
async function complete(deps: WorkerDeps, scope: AttemptScope, adapter: ProviderAdapter, ctx: AdapterContext, outputs: ProviderOutput[]): Promise<void> {
  if (outputs.length === 0) throw new ProviderError('malformed_response', 'the provider reported success with no outputs');
  const model = findModel(scope.req.model_identifier);
  if (!model) throw new Error(`model ${scope.req.model_identifier} left the catalog`);
  const keys: string[] = [];
  for (const [i, output] of outputs.entries()) {
    const file = await adapter.download(output, ctx);
    // the bytes decide what the file is; anything that is not image or video media is the provider's fault
    const format = sniffFormat(file.data);
    if (!format || (format === 'mp4') !== (scope.modelType === 'video')) {
      throw new ProviderError('malformed_response', `output ${i} is not ${scope.modelType} media (${file.content_type}, ${file.data.byteLength} bytes)`);
    }
    const key = artifactKey(scope.generationId, scope.attemptId, i, format);
    await deps.store.put(key, { data: file.data, content_type: CONTENT_TYPES[format] as string });
    keys.push(key);
  }
  const cost = priceMicro(providerPricing(model, scope.provider), {
    count: outputs.length, duration_seconds: scope.req.duration_seconds, resolution: scope.req.resolution, generate_audio: scope.req.generate_audio,
  }) ?? 0;
  const args = {
    p_attempt_id: scope.attemptId, p_output_keys: keys, p_cost_microcredits: cost,
    p_predict_ms: Math.round(deps.clock().getTime() - scope.startedMs), p_now: deps.clock(),
  };
  const r = await attemptCalls(deps).succeed(args);
  // discarded: the generation ended meanwhile, and these keys are this attempt's own.
  // duplicate: this attempt settled already (webhook and poll both reported it); the files are the
  // winner's, under the same keys, so they stay.
  if (r.outcome === 'discarded') await deps.store.delete(keys);
}

/** Providers that sign their webhooks get a callback URL when the deployment has a public one. */
function webhookUrlFor(deps: WorkerDeps, provider: ProviderId): string | undefined {
  const entry = deps.providers.get(provider);
  if (!deps.webhookBaseUrl || !entry?.adapter.verifyWebhook || entry.baseUrl.startsWith('simulated:')) return undefined;
  return `${deps.webhookBaseUrl}/${provider}/webhook`;
}

/** Applies a provider's status report (from a poll or a webhook) to the attempt. */
async function applyStatus(deps: WorkerDeps, scope: AttemptScope, bound: { adapter: ProviderAdapter; ctx: AdapterContext }, status: StatusResult): Promise<void> {
  if (status.kind === 'completed') return complete(deps, scope, bound.adapter, bound.ctx, status.outputs);
  if (status.kind === 'failed') return fail(deps, scope, status.error);
  if (status.kind === 'canceled') return fail(deps, scope, new ProviderError('unknown', 'the provider canceled the job'));
  await rpcOne(deps.db, 'attempt_poll_again', { p_attempt_id: scope.attemptId, p_delay_ms: status.poll_after_ms ?? 2000, p_now: deps.clock() });
}

export async function runAttempt(deps: WorkerDeps, attemptId: string): Promise<void> {
  const s = await attemptCalls(deps).start(attemptId, deps.workerId, deps.leaseMs, deps.clock());
  if (!s || s.outcome !== 'started') return;
  const provider = s.provider as ProviderId;
  const modelType = s.model_type as ModelType;
  const req = normalizeRequest({
    generation_id: s.generation_id as string, attempt_id: attemptId, model_identifier: s.model_identifier as string,
    model_type: modelType, raw_model_id: s.raw_model_id as string, request: s.request as ValidatedRequest,
  }, webhookUrlFor(deps, provider));
  const scope: AttemptScope = { attemptId, generationId: s.generation_id as string, provider, tryNumber: s.try_number ?? 1, modelType, req, startedMs: deps.clock().getTime() };
  await withDeadline(deps, provider, modelType, s.deadline_at as Date, async (signal) => {
    const bound = contextFor(deps, provider, signal);
    try {
      if (!bound) throw new ProviderError('auth', `provider ${provider} is not configured in this deployment`);
      const submitted = await bound.adapter.submit(req, bound.ctx);
      if (submitted.kind === 'completed') return await complete(deps, scope, bound.adapter, bound.ctx, submitted.outputs);
      await rpcOne(deps.db, 'attempt_record_job', {
        p_attempt_id: attemptId, p_provider_job_id: submitted.provider_job_id, p_lease_ms: deps.leaseMs,
        p_poll_after_ms: submitted.poll_after_ms ?? 1000, p_now: deps.clock(),
      });
    } catch (err) {
      await fail(deps, scope, err);
    }
  });
}

export async function pollAttempt(deps: WorkerDeps, attemptId: string, reported?: StatusResult): Promise<void> {
  const [s] = await rpc(deps.db, 'attempt_poll_claim', { p_attempt_id: attemptId, p_lease_ms: deps.leaseMs, p_now: deps.clock() });
  if (!s || s.outcome !== 'poll') return;
  const provider = s.provider as ProviderId;
  const modelType = s.model_type as ModelType;
  const req = normalizeRequest({
    generation_id: s.generation_id as string, attempt_id: attemptId, model_identifier: s.model_identifier as string,
    model_type: modelType, raw_model_id: s.raw_model_id as string, request: s.request as ValidatedRequest,
  });
  const startedMs = (s.submitted_at as Date).getTime();
  const scope: AttemptScope = { attemptId, generationId: s.generation_id as string, provider, tryNumber: s.try_number ?? 1, modelType, req, startedMs };
  await withDeadline(deps, provider, modelType, s.deadline_at as Date, async (signal) => {
    const bound = contextFor(deps, provider, signal);
    try {
      if (!bound) throw new ProviderError('auth', `provider ${provider} is not configured in this deployment`);
      // the attempt's own time bound holds for polled attempts too: past it, the order moves on
      const elapsedMs = deps.clock().getTime() - startedMs;
      if (!reported && elapsedMs >= attemptTimeoutFor(deps, provider, modelType)) {
        await bound.adapter.cancel?.(s.provider_job_id as string, req, bound.ctx).catch(() => false);
        throw new ProviderError('timeout', `no result from ${provider} after ${Math.round(elapsedMs / 1000)} s`);
      }
      await applyStatus(deps, scope, bound, reported ?? (await bound.adapter.status(s.provider_job_id as string, req, bound.ctx)));
    } catch (err) {
      await fail(deps, scope, err);
    }
  });
}

/** Best-effort provider cancel for an attempt that was running when its generation was canceled. */
export async function cancelAttempt(deps: WorkerDeps, attemptId: string): Promise<void> {
  const job = await deps.db.selectFrom('api.attempt_jobs_v').selectAll().where('attempt_id', '=', attemptId).executeTakeFirst();
  if (!job?.provider_job_id) return;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    const bound = contextFor(deps, job.provider as ProviderId, controller.signal);
    if (!bound?.adapter.cancel) return;
    const model = findModel(job.model_identifier as string);
    await bound.adapter.cancel(job.provider_job_id, normalizeRequest({
      generation_id: job.generation_id as string, attempt_id: attemptId, model_identifier: job.model_identifier as string,
      model_type: (model?.model_type ?? 'image') as ModelType, raw_model_id: job.raw_model_id as string, request: job.request as ValidatedRequest,
    }), bound.ctx);
  } finally {
    clearTimeout(timer);
  }
}
