// Wakes idle workers after an accept has committed (api.attempts_wake, a NOTIFY in a transaction
// of its own). At most one wake is in flight per app; accepts that arrive meanwhile fold into one
// more, so under load this costs far less than a query per request. A lost wake costs only
// latency: dispatchers also poll.
import { rpcOne } from '../db/rpc.ts';
import type { Db } from '../db/kysely.ts';

export function workerWaker(db: Db): () => void {
  let inFlight = false;
  let again = false;
  const send = () => {
    inFlight = true;
    rpcOne(db, 'attempts_wake', {})
      .catch(() => undefined)
      .finally(() => {
        inFlight = false;
        if (again) {
          again = false;
          send();
        }
      });
  };
  return () => {
    if (inFlight) again = true;
    else send();
  };
}
