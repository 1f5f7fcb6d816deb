// The Redis test stack: Debian's `redis-server` on a free port, behind a small HTTP bridge that
// speaks the Upstash REST protocol, so the real `@upstash/redis` client and `@upstash/ratelimit`
// run unchanged against a real Redis.
//
// Protocol (as @upstash/redis speaks it): Bearer token auth; POST / with a JSON command array
// -> {result} or {error} (HTTP 400); POST /pipeline and POST /multi-exec with an array of
// command arrays -> an array of {result}|{error}. With `Upstash-Encoding: base64`, string
// results are base64 (the status reply OK at the top level stays plain). EVAL/EVALSHA pass
// through, so NOSCRIPT errors reach the client and it falls back to EVAL as it does in
// production. One translation: Upstash's server accepts its own script flag
// `#!lua flags=allow-key-locking` (every @upstash/ratelimit script carries it), which stock
// Redis 7 rejects; the bridge drops that flag before Redis sees the script and maps the
// client's SHA1 (of the original text) to Redis's (of the stripped text) for EVALSHA.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../src/lib/net.ts';
import { RespClient, RespError, type RespValue } from './resp.ts';

export const REDIS_SERVER = '/usr/bin/redis-server';
export const hasRedis = existsSync(REDIS_SERVER);
export const NO_REDIS_REASON = `${REDIS_SERVER} is not installed (apt-get install redis-server; .ci/run installs it)`;

export interface RedisServer {
  port: number;
  stop(): Promise<void>;
}

/** Starts redis-server on a free loopback port, in memory only; resolves once it accepts. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    child.once('error', reject);
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    port,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export interface UpstashBridge {
  url: string;
  token: string;
  /** Commands seen, for assertions (command name upper-cased). */
  commands: string[];
  /** While true, requests are accepted and never answered: a Redis that hangs. */
  hang: boolean;
  stop(): Promise<void>;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function encode(value: RespValue, base64: boolean, top: boolean, bulk: boolean): unknown {
  if (value === null || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((v) => (v instanceof RespError ? null : encode(v, base64, false, true)));
  if (value instanceof RespError) return null;
  if (!base64) return value;
  return top && !bulk && value === 'OK' ? 'OK' : b64(value);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

/** Removes Upstash-only script flags from a `#!lua flags=...` first line. */
export function stripUpstashFlags(script: string): string {
  return script.replace(/^#!lua flags=([^\n]*)/, (_, flags: string) => {
    const kept = flags.split(',').map((f) => f.trim()).filter((f) => f !== '' && f !== 'allow-key-locking');
    return kept.length > 0 ? `#!lua flags=${kept.join(',')}` : '#!lua';
  });
}

const isCommand = (c: unknown): c is (string | number)[] =>
  Array.isArray(c) && c.length > 0 && c.every((x) => typeof x === 'string' || typeof x === 'number');

/** Starts the HTTP bridge in front of a Redis on `redisPort`. */
export async function startUpstashBridge(redisPort: number): Promise<UpstashBridge> {
  const token = `test_${crypto.randomUUID().replaceAll('-', '')}`;
  const commands: string[] = [];
  const clients = new Set<RespClient>();
  const shaMap = new Map<string, string>();

  /** Applies the script-flag translation to EVAL, EVALSHA and SCRIPT LOAD. */
  function translate(cmd: (string | number)[]): (string | number)[] {
    const name = String(cmd[0]).toUpperCase();
    if ((name === 'EVAL' || name === 'EVAL_RO') && typeof cmd[1] === 'string') {
      const stripped = stripUpstashFlags(cmd[1]);
      if (stripped !== cmd[1]) shaMap.set(sha1(cmd[1]), sha1(stripped));
      return [cmd[0] as string, stripped, ...cmd.slice(2)];
    }
    if ((name === 'EVALSHA' || name === 'EVALSHA_RO') && typeof cmd[1] === 'string') {
      return [cmd[0] as string, shaMap.get(cmd[1].toLowerCase()) ?? cmd[1], ...cmd.slice(2)];
    }
    if (name === 'SCRIPT' && String(cmd[1]).toUpperCase() === 'LOAD' && typeof cmd[2] === 'string') {
      const stripped = stripUpstashFlags(cmd[2]);
      if (stripped !== cmd[2]) shaMap.set(sha1(cmd[2]), sha1(stripped));
      return [cmd[0] as string, cmd[1] as string, stripped];
    }
    return cmd;
  }

  async function run(raw: (string | number)[][], transaction: boolean): Promise<{ value: RespValue; bulk: boolean }[]> {
    const cmds = raw.map(translate);
    // A connection per request keeps MULTI/EXEC of concurrent requests apart.
    const client = await RespClient.open(redisPort);
    clients.add(client);
    try {
      for (const c of cmds) commands.push(String(c[0]).toUpperCase());
      if (!transaction) return await Promise.all(cmds.map((c) => client.send(c)));
      await client.send(['MULTI']);
      const queued = await Promise.all(cmds.map((c) => client.send(c)));
      const exec = await client.send(['EXEC']);
      if (!Array.isArray(exec.value)) return queued.map(() => ({ value: new RespError('EXECABORT'), bulk: false }));
      return exec.value.map((v) => ({ value: v, bulk: typeof v === 'string' }));
    } finally {
      clients.delete(client);
      await client.close();
    }
  }

  const hung: ServerResponse[] = [];
  const bridge = { hang: false };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (bridge.hang) {
      hung.push(res);
      return;
    }
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'Unauthorized' });
    if (req.method !== 'POST') return send(405, { error: 'Method not allowed' });
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const path = (req.url ?? '/').split('?')[0];
    let body: unknown;
    try {
      body = await readBody(req);
    } catch {
      return send(400, { error: 'ERR invalid JSON body' });
    }
    if (path === '/' || path === '') {
      if (!isCommand(body)) return send(400, { error: 'ERR the body must be a command array' });
      const [r] = await run([body], false);
      if (!r) return send(500, { error: 'ERR no reply' });
      if (r.value instanceof RespError) return send(400, { error: r.value.message });
      return send(200, { result: encode(r.value, base64, true, r.bulk) });
    }
    if (path === '/pipeline' || path === '/multi-exec') {
      if (!Array.isArray(body) || !body.every(isCommand)) return send(400, { error: 'ERR the body must be an array of command arrays' });
      const replies = await run(body, path === '/multi-exec');
      return send(200, replies.map((r) => (r.value instanceof RespError ? { error: r.value.message } : { result: encode(r.value, base64, true, r.bulk) })));
    }
    return send(404, { error: `ERR unknown path ${path}` });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `ERR bridge: ${err.message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    commands,
    get hang() {
      return bridge.hang;
    },
    set hang(v: boolean) {
      bridge.hang = v;
    },
    async stop() {
      for (const res of hung.splice(0)) res.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all([...clients].map((c) => c.close()));
    },
  };
}

/** redis-server plus the bridge; stop() stops both. */
export async function startRedisStack(): Promise<UpstashBridge & { redis: RedisServer }> {
  const redis = await startRedisServer();
  const bridge = await startUpstashBridge(redis.port);
  return {
    url: bridge.url,
    token: bridge.token,
    commands: bridge.commands,
    get hang() {
      return bridge.hang;
    },
    set hang(v: boolean) {
      bridge.hang = v;
    },
    redis,
    async stop() {
      await bridge.stop();
      await redis.stop();
    },
  };
}

/** An HTTP server that accepts requests and never answers: a Redis that hangs. */
export async function startBlackhole(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
