// Wakes idle workers after an accept has committed (api.attempts_wake, a NOTIFY in a transaction
// of its own, which is a durable commit). At most one wake is in flight per app and wakes are at
// least MIN_INTERVAL_MS apart; accepts that arrive meanwhile fold into the next one, so under
// load this is at most 200 small transactions a second, not one per request. A busy dispatcher
// polls every millisecond anyway, and an idle one is woken at once by the first accept after a
// quiet spell. A lost wake costs only latency: dispatchers also poll.
import { rpcOne } from '../db/rpc.ts';
import type { Db } from '../db/kysely.ts';

const MIN_INTERVAL_MS = 5;

export function workerWaker(db: Db): () => void {
  let inFlight = false;
  let again = false;
  const send = () => {
    inFlight = true;
    const started = performance.now();
    rpcOne(db, 'attempts_wake', {})
      .catch(() => undefined)
      .finally(() => {
        const rest = MIN_INTERVAL_MS - (performance.now() - started);
        const done = () => {
          inFlight = false;
          if (again) {
            again = false;
            send();
          }
        };
        if (rest > 0) setTimeout(done, rest);
        else done();
      });
  };
  return () => {
    if (inFlight) again = true;
    else send();
  };
}
