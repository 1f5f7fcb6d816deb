#!/usr/bin/env node
// `npx seaplane`: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
const { main, UsageError } = await import('../src/cli/main.ts');
let code;
try {
  code = await main(process.argv.slice(2));
} catch (err) {
  console.error(`seaplane: ${err instanceof Error ? err.message : String(err)}`);
  if (err instanceof UsageError) console.error('run `npx seaplane --help` for usage');
  code = 1;
}
// Exit explicitly: a library's lingering handle must not keep a finished command alive, and the
// exit code must be the command's.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
