// Per-request logging for usage analytics (contract §15): one row per API request in
// seaplane.request_log, written through api.request_log_write.
//
// Why batched and after the response: the log is analytics, not state of record, so it must
// never add a database round trip to the request path. The middleware hands each entry to
// `RequestLogWriter.add()` (synchronous, no I/O) after the response is built; the writer keeps at
// most one write in flight and sends what queued up in the last BATCH_DELAY_MS as one batch
// (group commit). Under load that is one INSERT transaction per 10 ms instead of per request
// (each is a durable commit, so a write per round trip cost the accept path measurably); when
// idle, an entry is written 10 ms after its response. The queue is bounded: past MAX_QUEUE entries
// new ones are dropped and counted (`dropped`), never blocking requests. Under the Deno edge
// runtime the pending write is handed to `waitUntil` (EdgeRuntime.waitUntil) so the isolate is
// kept alive until it lands; under Node the process outlives the promise anyway.
import type { Context } from 'hono';
import type { Db } from '../db/kysely.ts';
import { rpcOne } from '../db/rpc.ts';
import type { AppEnv } from './deps.ts';
import { ApiError } from './errors.ts';

export interface RequestLogEntry {
  account_id: string | null;
  apikey_id: string | null;
  /** The route pattern, e.g. /v1/content/{generation_id}; never the raw path (ids stay out). */
  endpoint: string;
  method: string;
  http_status: number;
  error_code: string | null;
  latency_ms: number;
  sdk_name: string | null;
  sdk_version: string | null;
  sdk_runtime: string | null;
  sdk_runtime_version: string | null;
  user_agent: string | null;
  request_id: string;
  created_at: string;
}

const MAX_QUEUE = 10_000;
const MAX_BATCH = 500;
const BATCH_DELAY_MS = 10;

/** Route patterns as the usage report names them (contract §2). Order matters: list before id. */
const ENDPOINTS: readonly [RegExp, string][] = [
  [/^\/v1\/generate\/image\//, '/v1/generate/image/{model_identifier}'],
  [/^\/v1\/generate\/video\//, '/v1/generate/video/{model_identifier}'],
  [/^\/v1\/content\/list$/, '/v1/content/list'],
  [/^\/v1\/content\/generation\/cancel\/[^/]+$/, '/v1/content/generation/cancel/{generation_id}'],
  [/^\/v1\/content\/[^/]+$/, '/v1/content/{generation_id}'],
  [/^\/v1\/estimate\//, '/v1/estimate/{model_identifier}'],
  [/^\/v1\/(status|usage|openapi\.json)$/, ''],
  [/^\/v1\/user\/(account|billing)$/, ''],
  [/^\/v1\/health\/(inference\/providers|inference\/models|storage|cache)$/, ''],
  [/^\/v1\/library\/(providers|models)$/, ''],
];

/** The endpoint label of a path: its pattern, or `other` for anything unknown (no raw paths). */
export function endpointOf(path: string): string {
  for (const [re, label] of ENDPOINTS) if (re.test(path)) return label === '' ? path : label;
  return 'other';
}

export type WaitUntil = (promise: Promise<unknown>) => void;

/** Supabase's edge runtime exposes EdgeRuntime.waitUntil; elsewhere there is nothing to extend. */
function edgeRuntimeWaitUntil(): WaitUntil | undefined {
  const rt = (globalThis as { EdgeRuntime?: { waitUntil?: WaitUntil } }).EdgeRuntime;
  return typeof rt?.waitUntil === 'function' ? (p) => rt.waitUntil?.(p) : undefined;
}

export class RequestLogWriter {
  private queue: RequestLogEntry[] = [];
  private inFlight: Promise<void> | undefined;
  /** Entries dropped because the queue was full or a write failed. */
  dropped = 0;

  constructor(
    private readonly db: Db,
    private readonly options: { waitUntil?: WaitUntil; onError?: (err: unknown) => void } = {},
  ) {}

  add(entry: RequestLogEntry): void {
    if (this.queue.length >= MAX_QUEUE) {
      this.dropped++;
      return;
    }
    this.queue.push(entry);
    if (!this.inFlight) this.kick();
  }

  private kick(): void {
    const p = this.drain().finally(() => {
      this.inFlight = undefined;
      if (this.queue.length > 0) this.kick();
    });
    this.inFlight = p;
    (this.options.waitUntil ?? edgeRuntimeWaitUntil())?.(p);
  }

  private async drain(): Promise<void> {
    // Let the handler that called add() finish its response, and more entries queue up.
    await new Promise<void>((resolve) => setTimeout(resolve, BATCH_DELAY_MS));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await rpcOne(this.db, 'request_log_write', { p_entries: batch });
      } catch (err) {
        this.dropped += batch.length;
        this.options.onError?.(err);
      }
    }
  }

  /** Resolves when everything added so far is written (or dropped). */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }
}

/**
 * The log entry of a finished request (called by the app's middleware after the handler). Only
 * an error whose code is not at hand has to be read back from the response (asynchronously);
 * every other entry is built at once, without a promise.
 */
export function requestLogEntry(c: Context<AppEnv>, startedMs: number, now: Date): RequestLogEntry | Promise<RequestLogEntry> {
  const status = c.res.status;
  if (status >= 400 && !(c.error instanceof ApiError)) {
    // 404/405 from notFound and mapped 5xx from onError: the code is in the envelope.
    return (c.res.clone().json() as Promise<{ error?: { code?: unknown } }>).then(
      (body) => (typeof body.error?.code === 'string' ? body.error.code : null),
      () => null,
    ).then((code) => entryOf(c, startedMs, now, code));
  }
  return entryOf(c, startedMs, now, status >= 400 && c.error instanceof ApiError ? c.error.spec.code : null);
}

function entryOf(c: Context<AppEnv>, startedMs: number, now: Date, errorCode: string | null): RequestLogEntry {
  const auth = c.get('auth');
  const h = (name: string) => c.req.header(name) ?? null;
  return {
    account_id: auth?.accountId ?? null,
    apikey_id: auth?.apikeyId ?? null,
    endpoint: endpointOf(c.req.path),
    method: c.req.method,
    http_status: c.res.status,
    error_code: errorCode,
    latency_ms: Math.max(0, Math.round(performance.now() - startedMs)),
    sdk_name: h('x-babysea-sdk-name'),
    sdk_version: h('x-babysea-sdk-version'),
    sdk_runtime: h('x-babysea-sdk-runtime'),
    sdk_runtime_version: h('x-babysea-sdk-runtime-version'),
    user_agent: h('user-agent'),
    request_id: c.get('requestId'),
    created_at: now.toISOString(),
  };
}
