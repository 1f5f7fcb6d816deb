// A small stand-in for vitest under `deno test`: the import map test/deno/import_map.json sends
// `vitest` here, so a test file written for vitest runs unchanged on Deno.test. It covers what
// the handler tests use: describe / it / beforeAll / afterAll / expect (the common matchers,
// `.not`, expect.any / expect.stringMatching) and inject (values given in SEAPLANE_TEST_PROVIDED).
// Plain code on node:assert, no @std imports, so it runs offline.
import assert from 'node:assert/strict';

// Typed locally so this file also passes Node's tsc (it only runs under Deno).
interface DenoLike {
  test(options: { name: string; sanitizeOps: boolean; sanitizeResources: boolean }, fn: () => Promise<void>): void;
  env: { get(name: string): string | undefined };
}
const Deno = (globalThis as unknown as { Deno: DenoLike }).Deno;

type Fn = () => unknown | Promise<unknown>;
const prefix: string[] = [];
const before: Fn[] = [];
const after: Fn[] = [];
const tests: { name: string; fn: Fn }[] = [];
let beforeDone = false;
let currentTestName: string | undefined;

export function describe(name: string, fn: () => void): void {
  prefix.push(name);
  try {
    fn();
  } finally {
    prefix.pop();
  }
}

export function it(name: string, fn: Fn): void {
  const full = [...prefix, name].join(' > ');
  const index = tests.push({ name: full, fn }) - 1;
  // pg pools and timers outlive one test by design (closed in afterAll), so no sanitizers.
  Deno.test({ name: full, sanitizeOps: false, sanitizeResources: false }, async () => {
    if (!beforeDone) {
      beforeDone = true;
      for (const b of before) await b();
    }
    currentTestName = full;
    try {
      await fn();
    } finally {
      currentTestName = undefined;
      if (index === tests.length - 1) for (const a of after) await a();
    }
  });
}
export const test = it;
export const beforeAll = (fn: Fn): void => void before.push(fn);
export const afterAll = (fn: Fn): void => void after.push(fn);
export const beforeEach = (_fn: Fn): void => {
  throw new Error('beforeEach is not in the Deno shim');
};
export const afterEach = (_fn: Fn): void => {};

export function inject(name: string): string {
  const provided = JSON.parse(Deno.env.get('SEAPLANE_TEST_PROVIDED') ?? '{}') as Record<string, string>;
  const value = provided[name];
  if (value === undefined) throw new Error(`inject(${name}): not in SEAPLANE_TEST_PROVIDED`);
  return value;
}

// Asymmetric matchers ------------------------------------------------------------------------
class Matcher {
  constructor(readonly describe: string, readonly test: (v: unknown) => boolean) {}
}
function any(ctor: unknown): Matcher {
  return new Matcher(`any(${(ctor as { name?: string }).name})`, (v) =>
    ctor === String ? typeof v === 'string' : ctor === Number ? typeof v === 'number' : ctor === Boolean ? typeof v === 'boolean' : v instanceof (ctor as new () => unknown));
}
const stringMatching = (re: RegExp) => new Matcher(`stringMatching(${re})`, (v) => typeof v === 'string' && re.test(v));

/** Deep equality where expected may hold matchers; `partial` ignores extra keys (toMatchObject). */
function matches(actual: unknown, expected: unknown, partial: boolean): boolean {
  if (expected instanceof Matcher) return expected.test(actual);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e, partial));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    if (!partial && Object.keys(a).filter((k) => a[k] !== undefined).length !== Object.keys(e).filter((k) => e[k] !== undefined).length) return false;
    return Object.keys(e).every((k) => matches(a[k], e[k], partial));
  }
  return Object.is(actual, expected);
}

function show(v: unknown): string {
  return v instanceof Matcher ? v.describe : JSON.stringify(v, (_k, x) => (x instanceof Matcher ? x.describe : x));
}

function matchersFor(actual: unknown, negate: boolean, message?: string) {
  const check = (ok: boolean, what: string) => {
    if (ok === negate) assert.fail(`${message ? `${message}: ` : ''}expected ${show(actual)} ${negate ? 'not ' : ''}${what}`);
  };
  return {
    toBe: (e: unknown) => check(Object.is(actual, e), `to be ${show(e)}`),
    toEqual: (e: unknown) => check(matches(actual, e, false), `to equal ${show(e)}`),
    toStrictEqual: (e: unknown) => check(matches(actual, e, false), `to strictly equal ${show(e)}`),
    toMatchObject: (e: unknown) => check(matches(actual, e, true), `to match ${show(e)}`),
    toMatch: (re: RegExp | string) => check(typeof actual === 'string' && (typeof re === 'string' ? actual.includes(re) : re.test(actual)), `to match ${re}`),
    toContain: (e: unknown) => check((typeof actual === 'string' || Array.isArray(actual)) && actual.includes(e as never), `to contain ${show(e)}`),
    toHaveLength: (n: number) => check((actual as { length?: number })?.length === n, `to have length ${n}`),
    toBeGreaterThan: (n: number) => check((actual as number) > n, `to be > ${n}`),
    toBeGreaterThanOrEqual: (n: number) => check((actual as number) >= n, `to be >= ${n}`),
    toBeLessThan: (n: number) => check((actual as number) < n, `to be < ${n}`),
    toBeUndefined: () => check(actual === undefined, 'to be undefined'),
    toBeDefined: () => check(actual !== undefined, 'to be defined'),
    toBeNull: () => check(actual === null, 'to be null'),
    toBeTruthy: () => check(Boolean(actual), 'to be truthy'),
    toThrow: (re?: RegExp) => {
      let thrown: unknown;
      try {
        (actual as () => unknown)();
      } catch (err) {
        thrown = err ?? new Error('undefined thrown');
      }
      check(thrown !== undefined && (re === undefined || re.test(String((thrown as Error).message ?? thrown))), `to throw${re ? ` ${re}` : ''}`);
    },
  };
}

type Matchers = ReturnType<typeof matchersFor>;
export const expect = Object.assign(
  (actual: unknown, message?: string): Matchers & { not: Matchers } => Object.assign(matchersFor(actual, false, message), { not: matchersFor(actual, true, message) }),
  { any, stringMatching, getState: () => ({ currentTestName }) },
);
