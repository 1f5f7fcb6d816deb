// The coalescer behind batched accepts: alone and at once when idle, together when calls queue
// behind one in flight, never more than maxBatch, and a failed batch's items handled one by one.
// Every interleaving is forced with latches; no timers.
import { describe, expect, it } from 'vitest';
import { coalesce } from '../../src/lib/coalesce.ts';

function latch<T = void>() {
  let open!: (v: T) => void;
  let fail!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    open = res;
    fail = rej;
  });
  return { promise, open, fail };
}

/** A run function whose calls are recorded and finished by hand. */
function scripted() {
  const calls: { items: number[]; done: ReturnType<typeof latch<number[]>> }[] = [];
  const run = (items: number[]) => {
    const done = latch<number[]>();
    calls.push({ items, done });
    return done.promise;
  };
  return { calls, run };
}

describe('coalesce', () => {
  it('sends a call at once and alone when nothing is in flight', async () => {
    const s = scripted();
    const call = coalesce(s.run, { maxBatch: 8, maxInFlight: 1 });
    const a = call(1);
    expect(s.calls.map((c) => c.items)).toEqual([[1]]);
    s.calls[0]?.done.open([10]);
    expect(await a).toBe(10);
  });

  it('gathers the calls that arrive while one is in flight into the next one, at most maxBatch each', async () => {
    const s = scripted();
    const call = coalesce(s.run, { maxBatch: 3, maxInFlight: 1 });
    const results = [1, 2, 3, 4, 5, 6].map((i) => call(i));
    expect(s.calls.map((c) => c.items)).toEqual([[1]]);
    expect(call.queued()).toBe(5);
    s.calls[0]?.done.open([10]);
    await results[0];
    expect(s.calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    s.calls[1]?.done.open([20, 30, 40]);
    await results[3];
    expect(s.calls.map((c) => c.items)).toEqual([[1], [2, 3, 4], [5, 6]]);
    s.calls[2]?.done.open([50, 60]);
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(call.queued()).toBe(0);
  });

  it('keeps up to maxInFlight calls running side by side', () => {
    const s = scripted();
    const call = coalesce(s.run, { maxBatch: 10, maxInFlight: 2 });
    for (const i of [1, 2, 3, 4]) void call(i);
    expect(s.calls.map((c) => c.items)).toEqual([[1], [2]]);
    expect(call.queued()).toBe(2);
  });

  it("rejects a failed batch's items with its error by default", async () => {
    const s = scripted();
    const call = coalesce(s.run, { maxBatch: 10, maxInFlight: 1 });
    const first = call(1);
    const rest = [call(2), call(3)];
    s.calls[0]?.done.open([10]);
    await first;
    s.calls[1]?.done.fail(new Error('boom'));
    for (const r of rest) await expect(r).rejects.toThrow('boom');
  });

  it("hands a failed batch's items to onBatchError, which decides each one's fate", async () => {
    const s = scripted();
    const call = coalesce(s.run, {
      maxBatch: 10, maxInFlight: 1,
      onBatchError: (items) => items.map((i) => (i === 3 ? Promise.reject(new Error(`item ${i} is bad`)) : Promise.resolve(i * 100))),
    });
    const first = call(1);
    const rest = [call(2), call(3), call(4)];
    s.calls[0]?.done.open([10]);
    await first;
    s.calls[1]?.done.fail(new Error('the batch failed'));
    await expect(rest[0]).resolves.toBe(200);
    await expect(rest[1]).rejects.toThrow('item 3 is bad');
    await expect(rest[2]).resolves.toBe(400);
  });

  it('treats a batch that answers with the wrong number of results as failed, and carries on', async () => {
    const s = scripted();
    const call = coalesce(s.run, { maxBatch: 10, maxInFlight: 1 });
    const a = call(1);
    s.calls[0]?.done.open([]);
    await expect(a).rejects.toThrow('a batch of 1 returned 0 results');
    const b = call(2);
    s.calls[1]?.done.open([20]);
    expect(await b).toBe(20);
  });

  it('turns a run function that throws synchronously into a failed batch', async () => {
    const call = coalesce<number, number>(() => {
      throw new Error('sync');
    }, { maxBatch: 4, maxInFlight: 1 });
    await expect(call(1)).rejects.toThrow('sync');
    await expect(call(2)).rejects.toThrow('sync');
  });
});
