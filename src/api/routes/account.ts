// The calling key and its account (#8 status, #10 account, #11 billing).
import type { Hono } from 'hono';
import { toCredits } from '../../catalog/pricing.ts';
import { requireScope } from '../auth.ts';
import type { AppDeps, AppEnv, AuthContext } from '../deps.ts';
import { successBody } from '../envelope.ts';
import { ApiError } from '../errors.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function registerAccount(app: Hono<AppEnv>, deps: AppDeps): void {
  const guard = requireScope(deps, 'account:read', 'read');

  const account = async (accountId: string) => {
    const row = await deps.db.selectFrom('api.accounts_v').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    if (!row) throw new ApiError('invalid_api_key');
    return row;
  };

  app.get('/v1/status', guard, async (c) => {
    const auth = c.get('auth') as AuthContext;
    const k = await deps.db.selectFrom('api.api_keys_v').selectAll().where('apikey_id', '=', auth.apikeyId).executeTakeFirstOrThrow();
    return c.json(successBody(c.get('requestId'), 'API key status retrieved', {
      account_id: k.account_id, apikey_id: k.apikey_id, apikey_name: k.name, apikey_prefix: k.prefix,
      apikey_created_at: iso(k.created_at), apikey_last_used_at: iso(k.last_used_at), apikey_expires_at: iso(k.expires_at),
    }, deps.clock()));
  });

  app.get('/v1/user/account', guard, async (c) => {
    const a = await account((c.get('auth') as AuthContext).accountId);
    return c.json(successBody(c.get('requestId'), 'Account retrieved', {
      account_id: a.account_id, account_name: a.name, account_email: a.email, account_is_personal: a.is_personal,
      account_picture_url: a.picture_url, account_created_at: a.created_at.toISOString(),
    }, deps.clock()));
  });

  app.get('/v1/user/billing', guard, async (c) => {
    const a = await account((c.get('auth') as AuthContext).accountId);
    return c.json(successBody(c.get('requestId'), 'Billing retrieved', {
      account_id: a.account_id, billing_plan: a.billing_plan, billing_credit_balance: toCredits(a.available_microcredits ?? 0),
      billing_subscription_status: a.billing_subscription_status, billing_currency: a.billing_currency,
      billing_period_starts_at: iso(a.billing_period_starts_at), billing_period_ends_at: iso(a.billing_period_ends_at),
      billing_cancel_at_period_end: a.billing_cancel_at_period_end, billing_created_at: a.created_at.toISOString(),
      billing_updated_at: a.updated_at.toISOString(),
    }, deps.clock()));
  });
}
