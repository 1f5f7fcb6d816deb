// The HTTP contract cases against the Node stack (API server and in-process worker).
import { afterAll, beforeAll, describe } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { defineContractTests } from './cases.ts';
import type { ContractTarget } from './target.ts';

let s: TestStack;
let target: ContractTarget;
beforeAll(async () => {
  s = await startTestStack({ credits: 10 });
  target = { runtime: 'node', url: s.url, db: s.db, accountId: s.accountId, apiKey: s.apiKey, newKey: s.newKey, waitForTerminal: (id) => s.waitForTerminal(id) };
});
afterAll(async () => {
  await s.close();
});

describe('HTTP contract, served by Node', () => {
  defineContractTests(() => target);
});
