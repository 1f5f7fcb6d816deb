// What a contract case needs from a running Seaplane, whichever runtime serves the HTTP side
// (the Node stack or the API edge function under Deno): its URL, an account with a key, a way to
// mint more keys, and a wait for a generation to finish (the worker runs in Node either way).
import type { EventEmitter } from 'node:events';
import type { Scope } from '../../src/api/keys.ts';
import type { Db } from '../../src/db/kysely.ts';

export interface ContractTarget {
  runtime: 'node' | 'deno';
  url: string;
  db: Db;
  accountId: string;
  apiKey: string;
  newKey(scopes?: readonly Scope[], expiresAt?: Date): Promise<string>;
  waitForTerminal(generationId: string): Promise<string>;
}

export interface Reply {
  status: number;
  headers: Headers;
  json: any;
}

export async function call(t: Pick<ContractTarget, 'url' | 'apiKey'>, method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; key?: string | null } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  const key = init.key === undefined ? t.apiKey : init.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${t.url}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}

/** Resolves when the generation is terminal; re-checks on each finished worker job (no sleeping). */
export function waitForTerminal(db: Db, events: EventEmitter, generationId: string, timeoutMs = 20_000): Promise<string> {
  const status = async () => (await db.selectFrom('api.generations_v').select('status').where('generation_id', '=', generationId).executeTakeFirst())?.status;
  return new Promise<string>((resolve, reject) => {
    let done = false;
    const finish = (err: Error | null, value?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      events.off('job:complete', check);
      err ? reject(err) : resolve(value as string);
    };
    const check = () => {
      void status().then((s) => {
        if (s === 'succeeded' || s === 'failed' || s === 'canceled') finish(null, s);
      }, (e: Error) => finish(e));
    };
    const timer = setTimeout(() => finish(new Error(`generation ${generationId} not terminal after ${timeoutMs} ms`)), timeoutMs);
    events.on('job:complete', check);
    check();
  });
}
