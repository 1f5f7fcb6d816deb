#!/usr/bin/env node
// `npx seaplane`: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
const { main, UsageError } = await import('../src/cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  console.error(`seaplane: ${err instanceof Error ? err.message : String(err)}`);
  if (err instanceof UsageError) console.error('run `npx seaplane --help` for usage');
  process.exitCode = 1;
}
