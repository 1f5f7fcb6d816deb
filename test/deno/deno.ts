// Runs Deno from the `deno` npm package (the binary ships inside it, so this works offline) and
// serves an edge entry point under it. Tests wait for the function's "listening on" line, never
// a sleep, and stop it with SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { track, untrack } from '../helpers/leaks.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

/** The deno executable inside node_modules/deno (its postinstall links it from @deno/<platform>). */
export function denoBin(): string {
  const dir = dirname(require.resolve('deno/package.json'));
  const exe = join(dir, process.platform === 'win32' ? 'deno.exe' : 'deno');
  if (existsSync(exe)) return exe;
  // install scripts were skipped: the package's own resolver finds the platform package
  return (require(join(dir, 'install_api.cjs')) as { runInstall(): string }).runInstall();
}

/**
 * Flags for running our code offline: npm packages only from node_modules (no npm: download,
 * no jsr:, no URL imports), nothing written next to the code.
 */
export const OFFLINE_FLAGS = ['--node-modules-dir=manual', '--cached-only', '--no-remote', '--no-lock'];
/** `deno run` / `deno test`: also never ask for a permission (fail instead). */
export const RUN_FLAGS = [...OFFLINE_FLAGS, '--no-prompt'];

export interface DenoServer {
  url: string;
  pid: number;
  /** ms from spawn to the listening line. */
  startupMs: number;
  output(): string;
  stop(): Promise<void>;
}

/** Environment for a child: only what it is given, plus what Deno itself needs to run. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const keep = ['PATH', 'HOME', 'DENO_DIR', 'TMPDIR', 'XDG_CACHE_HOME'];
  return { ...Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : []))), NO_COLOR: '1', ...env };
}

function waitForExit(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startDenoFunction(entry: string, env: Record<string, string>, permissions: string[]): Promise<DenoServer> {
  const started = performance.now();
  const child = spawn(denoBin(), ['run', ...RUN_FLAGS, ...permissions, entry], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const server = await new Promise<DenoServer>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.off('exit', onExit);
        resolve({
          url: m[1] as string, pid: child.pid as number, startupMs: Math.round(performance.now() - started), output: () => out,
          async stop() {
            untrack(server);
            child.kill('SIGTERM');
            await waitForExit(child);
          },
        });
      }
    };
    const onExit = (code: number | null) => reject(new Error(`deno exited (${code}) before listening:\n${out}`));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => { out += c.toString(); });
    child.once('exit', onExit);
  });
  return track(server, `deno ${entry}`);
}

/** Runs deno to completion (deno test, deno check) and returns its exit code and output. */
export function runDeno(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string; ms: number }> {
  const started = performance.now();
  const child = spawn(denoBin(), args, { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output, ms: Math.round(performance.now() - started) })));
}

/** Resident memory and CPU time used so far by a process (Linux /proc; CPU in ms). */
export async function processUsage(pid: number): Promise<{ rssMb: number; cpuMs: number }> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  // fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name) are utime and stime in ticks
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(stat[11]) + Number(stat[12]);
  return { rssMb: Math.round(rssKb / 1024), cpuMs: ticks * 10 };
}
