// Scripted simulated providers: each provider answers from its own queue of outcomes (then
// succeeds), and every submit is recorded.
import type { ProviderId } from '../../src/catalog/types.ts';
import type { SimOutcome, SimulationOptions } from '../../src/providers/simulated/adapter.ts';
import type { NormalizedRequest } from '../../src/providers/types.ts';

export interface Script {
  simulation: SimulationOptions;
  /** Outcomes keyed by prompt, per provider, in order. */
  set(prompt: string, outcomes: Partial<Record<ProviderId, (SimOutcome | (() => Promise<SimOutcome>))[]>>): void;
  calls: { prompt: string; provider: ProviderId }[];
}

export function scriptedProviders(): Script {
  const scripts = new Map<string, Partial<Record<ProviderId, (SimOutcome | (() => Promise<SimOutcome>))[]>>>();
  const calls: Script['calls'] = [];
  return {
    calls,
    set(prompt, outcomes) {
      scripts.set(prompt, outcomes);
    },
    simulation: {
      decide: async (req: NormalizedRequest, provider: ProviderId) => {
        calls.push({ prompt: req.prompt, provider });
        const next = scripts.get(req.prompt)?.[provider]?.shift();
        if (next === undefined) return { kind: 'succeed' };
        return typeof next === 'function' ? next() : next;
      },
    },
  };
}
