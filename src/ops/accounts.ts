// Account and key operations shared by the CLI, `npm start` and the tests.
import { newApiKey, type Scope, SCOPES } from '../api/keys.ts';
import type { Region } from '../catalog/types.ts';
import type { Db } from '../db/kysely.ts';
import { rpcOne } from '../db/rpc.ts';

export async function createAccount(db: Db, input: { name: string; email?: string; freeMicrocredits: number; now?: Date }): Promise<string> {
  const r = await rpcOne(db, 'account_create', {
    p_name: input.name, p_email: input.email ?? null, p_is_personal: true, p_free_microcredits: input.freeMicrocredits, p_now: input.now ?? new Date(),
  });
  return r.account_create as string;
}

export interface CreatedKey {
  apikey_id: string;
  api_key: string;
  prefix: string;
  scopes: readonly Scope[];
  expires_at: string | null;
  /** null: every region sharing the database. */
  regions: readonly Region[] | null;
}

export async function createKey(db: Db, input: {
  accountId: string; name?: string; scopes?: readonly Scope[]; expiresAt?: Date | null; prefix?: string; now?: Date;
  /** Regions the key is valid in (default: every region sharing this database). */
  regions?: readonly Region[];
}): Promise<CreatedKey> {
  const k = await newApiKey(input.prefix ?? 'bye_');
  const scopes = input.scopes ?? SCOPES;
  await rpcOne(db, 'apikey_create', {
    p_account_id: input.accountId, p_apikey_id: k.id, p_name: input.name ?? null, p_prefix: k.displayPrefix, p_hash: k.hash,
    p_scopes: [...scopes], p_expires_at: input.expiresAt ?? null, p_regions: input.regions ? [...input.regions] : undefined, p_now: input.now ?? new Date(),
  });
  return { apikey_id: k.id, api_key: k.key, prefix: k.displayPrefix, scopes, expires_at: input.expiresAt?.toISOString() ?? null, regions: input.regions ?? null };
}

/** Parses durations like 30m, 12h, 7d, 90s. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`duration must look like 90s, 30m, 12h or 7d, got ${JSON.stringify(text)}`);
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}
