// What the API needs from the outside, injected so the same app runs under Node and Deno and
// in tests with a pinned clock.
import type { Accept } from './accept-batch.ts';
import type { Region } from '../catalog/types.ts';
import type { Db } from '../db/kysely.ts';
import type { ArtifactStore } from '../storage/types.ts';
import type { Scope } from './keys.ts';
import type { RateDecision, RateLimiter } from './rate-limit.ts';
import type { BreakerCache } from '../routing/breakers.ts';
import type { KeyCache } from './auth.ts';
import type { RequestLogWriter } from './request-log.ts';
import type { StripeConfig } from '../ledger/stripe.ts';

export interface AppDeps {
  db: Db;
  region: Region;
  apiKeyPrefix: string;
  store: ArtifactStore;
  rateLimiter: RateLimiter;
  /** Providers whose adapters have a cancel API (cancel sends theirs). */
  providersWithCancel: readonly string[];
  clock: () => Date;
  maxBodyBytes: number;
  /** Accepted keys for a few seconds (createApp: 5 s when absent; a KeyCache of 0 ms keeps none). */
  keyCache?: KeyCache;
  /** The accept transaction (batched under load); createApp makes one over `db` when absent. */
  accept?: Accept;
  /** Wakes idle workers after an accept; createApp makes one over `db` when absent. */
  wakeWorkers?: () => void;
  /** Circuit-breaker state read on the accept path; createApp makes one over `db` when absent. */
  breakers?: BreakerCache;
  /** Per-request usage log; createApp makes one over `db` when absent. */
  requestLog?: RequestLogWriter;
  /** Stripe (credit packs through Checkout, the webhook); absent: those routes answer 404. */
  stripe?: StripeConfig;
}

export interface AuthContext {
  apikeyId: string;
  accountId: string;
  scopes: readonly Scope[];
}

export type AppEnv = {
  Variables: {
    requestId: string;
    auth: AuthContext | undefined;
    rate: RateDecision | undefined;
  };
};
