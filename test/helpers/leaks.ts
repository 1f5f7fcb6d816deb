// Leak tracking: everything a test opens (pools, workers, servers) is registered here and must
// be closed by the end of the test that opened it (or of the file, for beforeAll resources).
import { afterAll, afterEach, expect } from 'vitest';

interface Tracked {
  what: string;
  test: string | undefined;
}

const open = new Map<object, Tracked>();

export function track<T extends object>(resource: T, what: string): T {
  open.set(resource, { what, test: expect.getState().currentTestName });
  return resource;
}

export function untrack(resource: object): void {
  open.delete(resource);
}

export function installLeakCheck(): void {
  afterEach(() => {
    const name = expect.getState().currentTestName;
    const leaked = [...open.entries()].filter(([, t]) => t.test !== undefined && t.test === name);
    for (const [r] of leaked) open.delete(r);
    if (leaked.length > 0) throw new Error(`test leaked: ${leaked.map(([, t]) => t.what).join(', ')}`);
  });
  afterAll(() => {
    const leaked = [...open.values()];
    open.clear();
    if (leaked.length > 0) throw new Error(`test file leaked: ${leaked.map((t) => t.what).join(', ')}`);
  });
}
