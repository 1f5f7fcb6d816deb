// Cron task: expires credit holds past their expiry whose generation is terminal or past its
// deadline with no live attempt lease (api.holds_expire decides, in one transaction per run;
// a hold whose attempt may still be running waits for the next run).
import { rpc } from '../../db/rpc.ts';
import type { WorkerDeps } from '../deps.ts';

export async function holdsExpire(deps: Pick<WorkerDeps, 'db' | 'clock'>): Promise<{ expired: number; waiting: number }> {
  const rows = await rpc(deps.db, 'holds_expire', { p_now: deps.clock(), p_limit: 500 });
  return {
    expired: rows.filter((r) => r.outcome === 'expired').length,
    waiting: rows.filter((r) => r.outcome === 'waiting').length,
  };
}
