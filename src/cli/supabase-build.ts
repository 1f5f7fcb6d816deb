// `npm run supabase:build` (`seaplane supabase build`): writes what `supabase db push` and
// `supabase functions deploy` need into one git-ignored folder (default .seaplane/supabase-build):
//   supabase/config.toml            functions wired with entrypoint, import map, verify_jwt = false
//   supabase/migrations/            a bootstrap migration (src/db/bootstrap.sql), then ours verbatim
//   supabase/functions/<name>/      the entry points, each with a deno.json import map (npm: pins)
//   supabase/src/                   the runtime-neutral code the functions import
// It refuses to build when sql/ holds definitions no migration carries yet (the deploy would
// ship older functions than the code expects) unless --allow-drift.
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDefinitions, readMigrations, type SqlFile } from '../db/migrate.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_BUILD_DIR = join(ROOT, '.seaplane', 'supabase-build');
export const EDGE_FUNCTIONS = ['api', 'stripe-webhook'] as const;

/**
 * Runs before the first migration of ours. On Supabase the roles exist and `if not exists`
 * keeps it a no-op there; `seaplane_meta` records what the Node migration runner applied, so a
 * database deployed by `supabase db push` can later be checked by the same tools.
 */
export const BOOTSTRAP_MIGRATION = '20261125000000_seaplane_bootstrap.sql';

export interface BuildOptions {
  outDir?: string;
  allowDrift?: boolean;
  log?: (line: string) => void;
}

export interface BuildResult {
  outDir: string;
  migrations: string[];
  functions: string[];
  /** Bare npm specifiers the functions import, with the pinned versions in their import map. */
  imports: Record<string, string>;
  /** sql/ files no migration carries as they are now (empty when in step). */
  drift: string[];
}

/** sql/ files whose current text differs from the newest snapshot migration (`-- sql/<file>` blocks). */
export function definitionsDrift(migrations: readonly SqlFile[], definitions: readonly SqlFile[]): string[] {
  const snapshot = [...migrations].reverse().find((m) => /^-- sql\/\S+\.sql$/m.test(m.sql));
  const carried = new Map<string, string>();
  if (snapshot) {
    const parts = snapshot.sql.split(/^-- sql\/(\S+\.sql)$/m);
    for (let i = 1; i < parts.length; i += 2) carried.set(parts[i] as string, (parts[i + 1] ?? '').trim());
  }
  const out: string[] = [];
  for (const d of definitions) {
    const c = carried.get(d.name);
    if (c === undefined) out.push(`sql/${d.name}: not in the newest snapshot migration`);
    else if (c !== d.sql.trim()) out.push(`sql/${d.name}: changed since the newest snapshot migration`);
  }
  for (const name of carried.keys()) if (!definitions.some((d) => d.name === name)) out.push(`sql/${name}: removed since the newest snapshot migration`);
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

export interface ImportGraph {
  files: string[];
  /** Bare specifiers (npm packages and node: builtins) reached by static imports. */
  bare: Set<string>;
  /** Bare specifiers reached only through a dynamic import() somewhere on the path. */
  lazyBare: Set<string>;
}

/** The modules an entry point reaches, following relative imports (static and dynamic). */
export async function importGraph(entry: string): Promise<ImportGraph> {
  const files: string[] = [];
  const bare = new Set<string>();
  const lazyBare = new Set<string>();
  const seen = new Map<string, boolean>(); // file -> reached statically
  const visit = async (file: string, lazy: boolean): Promise<void> => {
    const before = seen.get(file);
    if (before !== undefined && (before || lazy)) return;
    seen.set(file, !lazy);
    if (before === undefined) files.push(file);
    const text = (await readFile(file, 'utf8')).replace(/^\s*\/\/.*$/gm, '');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = (m[1] ?? m[2] ?? m[3]) as string;
      const dynamic = m[2] !== undefined;
      if (spec.startsWith('.')) await visit(resolve(dirname(file), spec), lazy || dynamic);
      else (lazy || dynamic ? lazyBare : bare).add(spec);
    }
  };
  await visit(resolve(entry), false);
  for (const s of bare) lazyBare.delete(s);
  return { files, bare, lazyBare };
}

/** The npm package a bare specifier belongs to (`@scope/name/sub` -> `@scope/name`). */
export function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

async function installedVersion(pkg: string): Promise<string> {
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const v = lock.packages[`node_modules/${pkg}`]?.version;
  if (!v) throw new Error(`${pkg} is imported by an edge function but is not in package-lock.json`);
  return v;
}

function configToml(fns: readonly string[]): string {
  return [
    '# Generated by `npm run supabase:build`; supabase/config.toml in the repository wires the same',
    '# functions in the repository layout. Do not edit here.',
    'project_id = "seaplane"',
    '',
    '[db]',
    'major_version = 17',
    '',
    ...fns.flatMap((f) => [
      `[functions.${f}]`,
      'enabled = true',
      '# Seaplane authenticates with its own API keys (and Stripe signs its webhooks).',
      'verify_jwt = false',
      `entrypoint = "./functions/${f}/index.ts"`,
      `import_map = "./functions/${f}/deno.json"`,
      '',
    ]),
  ].join('\n');
}

export async function buildSupabase(o: BuildOptions = {}): Promise<BuildResult> {
  const log = o.log ?? (() => {});
  const outDir = resolve(o.outDir ?? DEFAULT_BUILD_DIR);
  const migrations = await readMigrations();
  const drift = definitionsDrift(migrations, await readDefinitions());
  if (drift.length > 0 && !o.allowDrift) {
    throw new Error(`sql/ has definitions no migration carries yet:\n  ${drift.join('\n  ')}\nrun \`npx seaplane db snapshot <name>\` first (or pass --allow-drift to deploy the older definitions)`);
  }
  if (migrations.some((m) => m.name <= BOOTSTRAP_MIGRATION)) throw new Error(`a migration sorts before ${BOOTSTRAP_MIGRATION}; rename the bootstrap`);

  await rm(outDir, { recursive: true, force: true });
  const sb = join(outDir, 'supabase');
  await mkdir(join(sb, 'migrations'), { recursive: true });
  const bootstrap = await readFile(join(ROOT, 'src', 'db', 'bootstrap.sql'), 'utf8');
  await writeFile(join(sb, 'migrations', BOOTSTRAP_MIGRATION), [
    `-- ${BOOTSTRAP_MIGRATION.replace(/\.sql$/, '')} (generated by \`npm run supabase:build\` from src/db/bootstrap.sql)`,
    '-- What: the Supabase roles (anon, authenticated, service_role) when missing, and seaplane_meta.',
    '-- Why: the same migrations apply to a Supabase project (roles exist: no-op) and a plain Postgres.',
    '-- Locks: nothing existing; creates roles, a schema and two small tables if absent.',
    '-- graphile-worker\'s schema is not here: `seaplane worker` installs and upgrades it on start.',
    '',
    bootstrap.trim(),
    '',
  ].join('\n'));
  for (const m of migrations) await writeFile(join(sb, 'migrations', m.name), m.sql);

  const imports: Record<string, string> = {};
  const modules = new Set<string>();
  for (const fn of EDGE_FUNCTIONS) {
    const graph = await importGraph(join(ROOT, 'functions', fn, 'index.ts'));
    for (const f of graph.files) modules.add(f);
    const remote = [...graph.bare, ...graph.lazyBare].filter((s) => /^(jsr:|npm:|https?:)/.test(s));
    if (remote.length > 0) throw new Error(`functions/${fn} imports ${remote.join(', ')}: use bare imports resolved from node_modules`);
    const map: Record<string, string> = {};
    for (const spec of [...graph.bare, ...graph.lazyBare].filter((s) => !s.startsWith('node:')).sort()) {
      const pkg = packageOf(spec);
      const version = await installedVersion(pkg);
      map[pkg] = `npm:${pkg}@${version}`;
      map[`${pkg}/`] = `npm:/${pkg}@${version}/`;
      imports[pkg] = `npm:${pkg}@${version}`;
    }
    await mkdir(join(sb, 'functions', fn), { recursive: true });
    await writeFile(join(sb, 'functions', fn, 'deno.json'), `${JSON.stringify({ imports: map }, null, 2)}\n`);
    log(`function ${fn}: ${graph.files.length} modules, npm: ${Object.keys(map).filter((k) => !k.endsWith('/')).join(', ')}`);
  }
  // Only the modules the functions reach, at the same relative places: functions/<name>/ and
  // functions/_shared/ go to supabase/functions/, so ../../src/... lands in supabase/src/.
  for (const file of modules) {
    const rel = relative(ROOT, file);
    await mkdir(dirname(join(sb, rel)), { recursive: true });
    await cp(file, join(sb, rel));
  }
  await writeFile(join(sb, 'config.toml'), configToml(EDGE_FUNCTIONS));
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify({
    built_at: new Date().toISOString(), migrations: [BOOTSTRAP_MIGRATION, ...migrations.map((m) => m.name)], functions: EDGE_FUNCTIONS, imports, drift,
  }, null, 2)}\n`);
  log(`wrote ${relative(process.cwd(), outDir) || '.'}: ${migrations.length + 1} migrations, ${EDGE_FUNCTIONS.length} functions${drift.length ? ` (drift allowed: ${drift.length} sql/ files not in a migration)` : ''}`);
  return { outDir, migrations: [BOOTSTRAP_MIGRATION, ...migrations.map((m) => m.name)], functions: [...EDGE_FUNCTIONS], imports, drift };
}

export async function supabaseCommand(sub: string | undefined, values: Record<string, string | boolean | undefined>): Promise<number> {
  if (sub !== 'build') throw new Error('usage: seaplane supabase build [--out <dir>] [--allow-drift]');
  const r = await buildSupabase({ outDir: values.out as string | undefined, allowDrift: values['allow-drift'] === true, log: (l) => console.log(l) });
  console.log(`next: cd ${relative(process.cwd(), r.outDir) || '.'} && supabase link --project-ref <ref> && supabase db push && supabase functions deploy (see supabase/README.md)`);
  return 0;
}
