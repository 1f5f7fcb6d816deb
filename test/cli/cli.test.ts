import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cloneTemplate } from '../helpers/db.ts';

const BIN = fileURLToPath(new URL('../../bin/seaplane.js', import.meta.url));
let databaseUrl: string;

function seaplane(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  databaseUrl = await cloneTemplate();
});

describe('the seaplane CLI', () => {
  it('accounts create --json prints one JSON object with the account id and a new key, granting the credits through the ledger', async () => {
    const r = await seaplane('accounts', 'create', '--name', 'Acme', '--credits', '2.5', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ account_id: expect.any(String), credits: 2.5, apikey_id: expect.stringMatching(/^key_/), api_key: expect.stringMatching(/^bye_[A-Za-z0-9]{32}$/) });
    const history = await seaplane('keys', 'list', '--account', out.account_id, '--json');
    expect(JSON.parse(history.stdout).keys).toHaveLength(1);
  });

  it('keys create with a preset and an expiry, keys list, and keys revoke', async () => {
    const account = JSON.parse((await seaplane('accounts', 'create', '--name', 'Keys', '--json')).stdout);
    const k = await seaplane('keys', 'create', '--account', account.account_id, '--preset', 'read_only', '--expires', '1h', '--json');
    expect(k.code).toBe(0);
    const key = JSON.parse(k.stdout);
    expect(key.scopes).toEqual(['generation:read', 'account:read', 'health:read', 'library:read']);
    expect(Date.parse(key.expires_at)).toBeGreaterThan(Date.now());
    const custom = JSON.parse((await seaplane('keys', 'create', '--account', account.account_id, '--scopes', 'generation:read', '--json')).stdout);
    expect(custom.scopes).toEqual(['generation:read']);
    expect(custom.regions).toEqual(['us']); // the configured REGION unless --regions says more
    const twoRegions = JSON.parse((await seaplane('keys', 'create', '--account', account.account_id, '--regions', 'us,eu', '--json')).stdout);
    expect(twoRegions.regions).toEqual(['us', 'eu']);
    expect((await seaplane('keys', 'create', '--account', account.account_id, '--regions', 'mars')).stderr).toContain('--regions takes a list of us, eu, jp');
    const revoked = await seaplane('keys', 'revoke', key.apikey_id, '--json');
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout).apikey_id).toBe(key.apikey_id);
    const list = JSON.parse((await seaplane('keys', 'list', '--account', account.account_id, '--json')).stdout).keys as { apikey_id: string; revoked_at: string | null }[];
    expect(list.find((x) => x.apikey_id === key.apikey_id)?.revoked_at).not.toBeNull();
  });

  it('errors go to stderr with a non-zero exit', async () => {
    const unknownScope = await seaplane('keys', 'create', '--account', crypto.randomUUID(), '--scopes', 'everything');
    expect(unknownScope.code).not.toBe(0);
    expect(unknownScope.stderr).toContain('unknown scope');
    expect(unknownScope.stdout).toBe('');
    const missing = await seaplane('accounts', 'create');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--name is required');
    const noKey = await seaplane('keys', 'revoke', 'key_doesnotexist');
    expect(noKey.code).not.toBe(0);
    expect(noKey.stderr).toContain('no API key');
  });
});
