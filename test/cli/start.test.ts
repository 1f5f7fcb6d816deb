// `npm start` as a person runs it: a fresh data folder, the printed key and curl work, a
// generation completes and its file downloads, Ctrl-C stops everything, and a start after a
// crash (SIGKILL, Postgres left running) recovers the orphaned server.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/lib/net.ts';
import { parsePng } from '../helpers/media.ts';

const BIN = fileURLToPath(new URL('../../bin/seaplane.js', import.meta.url));
let dataDir: string;
let env: Record<string, string>;
let pgPort: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'seaplane-start-'));
  pgPort = await freePort();
  env = { ...process.env, SEAPLANE_DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_POSTGRES_PORT: String(pgPort) } as Record<string, string>;
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

interface Started { child: ChildProcess; output: string[]; url: string; key: string; exited: Promise<number | null> }

/** Starts `seaplane start` and resolves once it prints that it is running (or rejects if it exits first). */
function start(): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
        output.push(line);
        const url = output.join('\n').match(/API:\s+(http:\/\/\S+)/)?.[1];
        const key = output.join('\n').match(/API key:\s+(bye_[A-Za-z0-9]+)/)?.[1];
        if (url && key && line.startsWith('Providers without credentials')) resolve({ child, output, url, key, exited });
      });
    }
    void exited.then((code) => reject(new Error(`seaplane start exited with ${code}:\n${output.join('\n')}`)));
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

async function generateAndFetch(s: Started): Promise<void> {
  const auth = { authorization: `Bearer ${s.key}` };
  const created = await fetch(`${s.url}/v1/generate/image/bfl/flux-schnell`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ generation_prompt: 'a seaplane over a calm bay at dawn' }),
  }).then((r) => r.json());
  const id = created.data.generation_id as string;
  // the worker is in the other process: ask until it is terminal, back to back (each ask is ~1 ms)
  let g: { generation_status: string; generation_output_file: string[] | null } | undefined;
  const seen = new Set<string>();
  for (let i = 0; i < 5_000; i++) {
    g = (await fetch(`${s.url}/v1/content/${id}`, { headers: auth }).then((r) => r.json())).data;
    seen.add(g?.generation_status ?? '');
    if (g?.generation_status === 'succeeded' || g?.generation_status === 'failed') break;
  }
  expect(g?.generation_status).toBe('succeeded');
  expect([...seen].every((x) => ['pending', 'processing', 'succeeded'].includes(x))).toBe(true);
  parsePng(new Uint8Array(await (await fetch(g?.generation_output_file?.[0] as string)).arrayBuffer()));
}

describe('npm start', () => {
  it('on a fresh data folder prints a URL and a working key, serves a generation to a valid PNG, and Ctrl-C stops everything', async () => {
    const s = await start();
    expect(s.output.join('\n')).toContain('curl -s -X POST');
    await generateAndFetch(s);
    s.child.kill('SIGINT');
    expect(await s.exited, s.output.join('\n')).toBe(0);
    expect(await portOpen(pgPort)).toBe(false);
  }, 60_000);

  it('after a crash that left Postgres running, the next start stops the orphan and serves again', async () => {
    const crashed = await start();
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    expect(await portOpen(pgPort)).toBe(true); // the orphan
    const s = await start();
    expect(s.output.join('\n')).toMatch(/stopping an orphaned Postgres \(pid \d+\)/);
    await generateAndFetch(s);
    s.child.kill('SIGINT');
    expect(await s.exited, s.output.join('\n')).toBe(0);
    expect(await portOpen(pgPort)).toBe(false);
  }, 60_000);
});
