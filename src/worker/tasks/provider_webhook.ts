// Applies a provider's webhook that the API stored: verifies its signature with the provider's
// adapter, finds the attempt by the provider's job id, and applies the reported status through
// the same idempotent path a poll takes. Every webhook ends with a recorded outcome.
import type { ProviderId } from '../../catalog/types.ts';
import { rpc, rpcOne } from '../../db/rpc.ts';
import type { WorkerDeps } from '../deps.ts';
import { pollAttempt } from './attempt.ts';

export async function processProviderWebhook(deps: WorkerDeps, webhookId: string): Promise<string> {
  const w = await deps.db.selectFrom('api.provider_webhooks_v').selectAll().where('webhook_id', '=', webhookId).executeTakeFirst();
  if (!w || w.processed_at !== null) return 'already processed';
  const mark = async (outcome: string) => {
    await rpcOne(deps.db, 'provider_webhook_mark', { p_webhook_id: webhookId, p_outcome: outcome, p_now: deps.clock() });
    return outcome;
  };
  const entry = deps.providers.get(w.provider as ProviderId);
  if (!entry?.adapter.verifyWebhook) return mark('rejected: this provider has no webhook verification here');
  let event;
  try {
    const headers = new Headers(w.headers as Record<string, string>);
    event = await entry.adapter.verifyWebhook(headers, w.body, entry.credentials.webhookSecret ?? '', { now: () => deps.clock().getTime(), fetch: deps.fetch });
  } catch (err) {
    return mark(`rejected: ${err instanceof Error ? err.message : String(err)}`);
  }
  const [attempt] = await rpc(deps.db, 'attempt_find_by_job', { p_provider: w.provider, p_provider_job_id: event.provider_job_id });
  if (!attempt?.attempt_id) return mark(`ignored: no attempt for job ${event.provider_job_id}`);
  await pollAttempt(deps, attempt.attempt_id, event.result);
  return mark(`applied: ${event.result.kind}`);
}
