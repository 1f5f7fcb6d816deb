// GET /v1/usage?days= (#9): usage analytics over 1-90 days, aggregated in SQL
// (api.usage_report) from the request log and the provider attempts.
import type { Hono } from 'hono';
import { z } from 'zod';
import { rpcOne } from '../../db/rpc.ts';
import { requireScope } from '../auth.ts';
import type { AppDeps, AppEnv, AuthContext } from '../deps.ts';
import { successBody } from '../envelope.ts';
import { ApiError } from '../errors.ts';

export const usageQuery = z.strictObject({
  days: z.string().regex(/^\d{1,2}$/, 'must be a whole number of days').transform(Number)
    .pipe(z.number().int().min(1).max(90)).default(30)
    .describe('Days to report, 1-90 (default 30).'),
});

export function registerUsage(app: Hono<AppEnv>, deps: AppDeps): void {
  const guard = requireScope(deps, 'account:read', 'read');
  app.get('/v1/usage', guard, async (c) => {
    const auth = c.get('auth') as AuthContext;
    const q = usageQuery.safeParse(c.req.query());
    if (!q.success) {
      throw new ApiError('invalid_query', {
        message: 'days must be a whole number from 1 to 90.',
        details: { issues: q.error.issues.map((i) => ({ field: i.path.join('.') || ((i as { keys?: string[] }).keys ?? []).join(', '), message: i.message })) },
      });
    }
    // Read-your-writes: the caller's earlier requests to this instance are in the report.
    await deps.requestLog?.flush();
    const row = await rpcOne(deps.db, 'usage_report', { p_account_id: auth.accountId, p_days: q.data.days, p_now: deps.clock() });
    return c.json(successBody(c.get('requestId'), 'Usage retrieved', row.usage_report as Record<string, unknown>, deps.clock()));
  });
}
