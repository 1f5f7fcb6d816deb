// A whole Seaplane for HTTP tests: its own database, the API on a free port, an in-process
// worker with scripted simulated providers, local storage in a temp folder, an account and a key.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scope } from '../../src/api/keys.ts';
import { createAccount, createKey } from '../../src/ops/accounts.ts';
import { type Stack, type StackOptions, startStack } from '../../src/stack.ts';
import { call, waitForTerminal } from '../contract/target.ts';
import { cloneTemplate } from './db.ts';
import { track, untrack } from './leaks.ts';

export interface TestStack extends Stack {
  databaseUrl: string;
  accountId: string;
  apiKey: string;
  request(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string>; key?: string | null }): Promise<{ status: number; headers: Headers; json: any }>;
  newKey(scopes?: readonly Scope[], expiresAt?: Date): Promise<string>;
  newAccount(credits: number): Promise<{ accountId: string; apiKey: string }>;
  /** Resolves when the generation is terminal; wakes on each finished worker job (no sleeping). */
  waitForTerminal(generationId: string, timeoutMs?: number): Promise<string>;
}

export async function startTestStack(options: Partial<StackOptions> & { credits?: number } = {}): Promise<TestStack> {
  const databaseUrl = await cloneTemplate();
  const storageDir = await mkdtemp(join(tmpdir(), 'seaplane-files-'));
  // tests see revocations at once unless they test the key cache itself
  const stack = await startStack({ databaseUrl, port: 0, storageDir, worker: { concurrency: 4 }, keyCacheTtlMs: 0, ...options });
  track(stack, 'seaplane stack (server, worker, pools)');
  const accountId = await createAccount(stack.db, { name: 'test', freeMicrocredits: Math.round((options.credits ?? 10) * 1_000_000) });
  const apiKey = (await createKey(stack.db, { accountId })).api_key;

  const t: TestStack = {
    ...stack,
    databaseUrl,
    accountId,
    apiKey,
    request: (method, path, init = {}) => call({ url: stack.url, apiKey }, method, path, init),
    async newKey(scopes, expiresAt) {
      return (await createKey(stack.db, { accountId, scopes, expiresAt })).api_key;
    },
    async newAccount(credits) {
      const id = await createAccount(stack.db, { name: 'other', freeMicrocredits: Math.round(credits * 1_000_000) });
      return { accountId: id, apiKey: (await createKey(stack.db, { accountId: id })).api_key };
    },
    async waitForTerminal(generationId, timeoutMs = 20_000) {
      if (!stack.worker) throw new Error('this stack has no worker');
      return waitForTerminal(stack.db, stack.worker.events, generationId, timeoutMs);
    },
    async close() {
      untrack(stack);
      await stack.close();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
  return t;
}
