// Generation reads, cancel and delete (#3-#6). Another account's generation, or an id that is
// not a UUID, is simply not found: never 403, never data.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { rpcOne } from '../../db/rpc.ts';
import { requireScope } from '../auth.ts';
import type { AppDeps, AppEnv, AuthContext } from '../deps.ts';
import { paginatedBody, successBody } from '../envelope.ts';
import { ApiError } from '../errors.ts';
import { presentGeneration } from '../present.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

function generationId(c: Context<AppEnv>): string {
  const id = c.req.param('id')?.toLowerCase() ?? '';
  if (!UUID.test(id)) throw new ApiError('generation_not_found');
  return id;
}

export function registerContent(app: Hono<AppEnv>, deps: AppDeps): void {
  const read = requireScope(deps, 'generation:read', 'read');
  const del = requireScope(deps, 'generation:delete', 'write');

  app.get('/v1/content/list', read, async (c) => {
    const auth = c.get('auth') as AuthContext;
    const q = listQuery.safeParse(c.req.query());
    if (!q.success) throw new ApiError('invalid_query', { message: 'limit must be 1-100 and offset >= 0.', details: { issues: q.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) } });
    const base = deps.db.selectFrom('api.generations_v').where('account_id', '=', auth.accountId);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('created_at', 'desc').orderBy('generation_id', 'desc').limit(q.data.limit).offset(q.data.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const generations = rows.map((r) => presentGeneration(r, deps.store));
    return c.json(paginatedBody(c.get('requestId'), 'Generations retrieved', { generations }, { total: Number(count.n), ...q.data }, deps.clock()));
  });

  app.get('/v1/content/:id', read, async (c) => {
    const auth = c.get('auth') as AuthContext;
    const row = await deps.db.selectFrom('api.generations_v').selectAll()
      .where('generation_id', '=', generationId(c)).where('account_id', '=', auth.accountId).executeTakeFirst();
    if (!row) throw new ApiError('generation_not_found');
    return c.json(successBody(c.get('requestId'), 'Generation retrieved', presentGeneration(row, deps.store), deps.clock()));
  });

  app.post('/v1/content/generation/cancel/:id', del, async (c) => {
    const auth = c.get('auth') as AuthContext;
    const id = generationId(c);
    const r = await rpcOne(deps.db, 'generation_cancel', {
      p_account_id: auth.accountId, p_generation_id: id, p_providers_with_cancel: [...deps.providersWithCancel], p_now: deps.clock(),
    });
    if (r.outcome === 'not_found') throw new ApiError('generation_not_found');
    if (r.outcome === 'not_cancelable') {
      throw new ApiError('generation_not_cancelable', { message: `The generation is already ${r.generation_status}.`, details: { generation_status: r.generation_status } });
    }
    return c.json(successBody(c.get('requestId'), 'Generation canceled', {
      generation_id: id, generation_status: 'canceled', provider_cancel_sent: r.provider_cancel_sent === true, credits_refunded: r.credits_refunded === true,
    }, deps.clock()));
  });

  app.delete('/v1/content/:id', del, async (c) => {
    const auth = c.get('auth') as AuthContext;
    const id = generationId(c);
    const r = await rpcOne(deps.db, 'generation_delete', {
      p_account_id: auth.accountId, p_generation_id: id, p_providers_with_cancel: [...deps.providersWithCancel], p_now: deps.clock(),
    });
    if (r.outcome === 'not_found') throw new ApiError('generation_not_found');
    const filesDeleted = await deps.store.delete(r.output_keys ?? []);
    return c.json(successBody(c.get('requestId'), 'Generation deleted', { generation_id: id, files_deleted: filesDeleted }, deps.clock()));
  });
}
