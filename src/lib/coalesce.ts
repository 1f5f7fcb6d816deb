// Natural batching ("group commit" on the client side): calls that arrive while earlier ones are
// on their way to the database wait and go together as one call. An idle system sends every
// call alone and at once, so latency is unchanged at low load; under load the batch grows with
// the backlog, and one round trip and one transaction carry many requests.
//
// `run` gets the queued items in arrival order and returns one result per item, in the same
// order. When it throws, `onBatchError` decides each item's fate (the default rejects them all
// with the error); callers use it to retry the items one by one, so one bad item never fails
// its neighbours.

export interface CoalescerOptions<I, O> {
  /** The most items one call carries. */
  maxBatch: number;
  /** How many calls may be in flight at once (1: strictly one after another). */
  maxInFlight: number;
  /** What to do with a failed batch; default: reject every item with the error. */
  onBatchError?: (items: I[], err: unknown) => Promise<O>[];
}

export type Coalesced<I, O> = ((item: I) => Promise<O>) & {
  /** Items waiting for a free slot (for tests and diagnostics). */
  readonly queued: () => number;
};

interface Pending<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

export function coalesce<I, O>(run: (items: I[]) => Promise<O[]>, options: CoalescerOptions<I, O>): Coalesced<I, O> {
  const queue: Pending<I, O>[] = [];
  let inFlight = 0;

  const settle = (batch: Pending<I, O>[], outcomes: Promise<O>[]) => {
    for (const [i, p] of batch.entries()) {
      const out = outcomes[i];
      if (out === undefined) p.reject(new Error(`a batch of ${batch.length} returned ${outcomes.length} results`));
      else out.then(p.resolve, p.reject);
    }
  };

  const failed = (items: I[], err: unknown): Promise<O>[] => {
    try {
      return options.onBatchError ? options.onBatchError(items, err) : items.map(() => Promise.reject(err));
    } catch (handlerErr) {
      return items.map(() => Promise.reject(handlerErr));
    }
  };

  const drain = () => {
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      const items = batch.map((p) => p.item);
      inFlight++;
      let call: Promise<O[]>;
      try {
        call = run(items);
      } catch (err) {
        call = Promise.reject(err);
      }
      // the next batch leaves before this one's callers resume: a free slot never waits on them
      call.then(
        (results) => (results.length === batch.length
          ? results.map((r) => Promise.resolve(r))
          : failed(items, new Error(`a batch of ${batch.length} returned ${results.length} results`))),
        (err: unknown) => failed(items, err),
      ).then((outcomes) => {
        inFlight--;
        drain();
        settle(batch, outcomes);
      });
    }
  };

  const submit = (item: I) => new Promise<O>((resolve, reject) => {
    queue.push({ item, resolve, reject });
    drain();
  });
  return Object.assign(submit, { queued: () => queue.length });
}

/**
 * An onBatchError that sends a failed batch's items again one by one through `one` when
 * `retryable(err)` says the batch failed whole without effect, and otherwise fails them all.
 */
export function oneByOne<I, O>(one: (item: I) => Promise<O>, retryable: (err: unknown) => boolean) {
  return (items: I[], err: unknown): Promise<O>[] => (items.length > 1 && retryable(err) ? items.map(one) : items.map(() => Promise.reject(err)));
}
