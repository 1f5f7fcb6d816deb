// `npm run bench`: runs every test/bench/*.bench.ts (or those named on the command line). Each
// exports `run(): Promise<void>` that prints its numbers as ratios against a baseline measured
// in the same run. Benchmarks assert nothing; they report.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((o) => f.includes(o)))).sort();
for (const f of files) {
  console.log(`\n== ${f}`);
  const mod = (await import(pathToFileURL(`${dir}/${f}`).href)) as { run: () => Promise<void> };
  await mod.run();
}
