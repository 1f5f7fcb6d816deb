// Profiles for the simulated fleet: latency and failure distributions per provider (and
// optionally per model and region) that may drift over time, drawn from a seeded generator so a
// run can be replayed. Used by the embedded default (a calm profile), the chaos test and the
// routing evaluation.
import type { ProviderId } from '../../catalog/types.ts';
import type { ErrorClass, NormalizedRequest } from '../types.ts';
import type { SimOutcome, SimulationOptions } from './adapter.ts';

export interface SimBehaviour {
  /** Lognormal latency with this median and 99th percentile, in ms. */
  latency_ms: { median: number; p99: number };
  /** Probability that an attempt fails. */
  failure_rate: number;
  /** Relative weights of the error classes a failure takes (default: provider_unavailable). */
  errors?: Partial<Record<ErrorClass, number>>;
  /** Report through submit → poll instead of answering submit with the result. */
  async?: boolean;
  /** Sinusoidal drift: failure rate and latency swing with this period. */
  drift?: { period_ms: number; failure_amplitude: number; latency_factor: number; phase?: number };
}

export interface FleetProfile {
  default: SimBehaviour;
  providers?: Partial<Record<ProviderId, Partial<SimBehaviour>>>;
  /** Keyed `provider/model_identifier`. */
  models?: Record<string, Partial<SimBehaviour>>;
  seed: number;
}

export const CALM_FLEET: FleetProfile = {
  seed: 1,
  default: { latency_ms: { median: 0, p99: 0 }, failure_rate: 0 },
};

/** mulberry32: a small, fast, seedable generator with good enough statistics for simulation. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function behaviourFor(profile: FleetProfile, provider: ProviderId, model: string): SimBehaviour {
  return { ...profile.default, ...profile.providers?.[provider], ...profile.models?.[`${provider}/${model}`] };
}

/** The drawn fate of one attempt: deterministic for (seed, attempt, provider). */
export function drawOutcome(profile: FleetProfile, req: NormalizedRequest, provider: ProviderId, nowMs: number): { outcome: SimOutcome; latencyMs: number } {
  const b = behaviourFor(profile, provider, req.model_identifier);
  const rand = mulberry32(profile.seed ^ hash(`${req.attempt_id}:${provider}`));
  const swing = b.drift ? Math.sin((2 * Math.PI * nowMs) / b.drift.period_ms + (b.drift.phase ?? 0)) : 0;
  const failureRate = Math.min(1, Math.max(0, b.failure_rate + (b.drift ? b.drift.failure_amplitude * swing : 0)));
  const latencyScale = b.drift ? 1 + b.drift.latency_factor * swing : 1;
  // lognormal: median m, p99 = m * exp(2.326 sigma)
  const sigma = b.latency_ms.median > 0 && b.latency_ms.p99 > b.latency_ms.median ? Math.log(b.latency_ms.p99 / b.latency_ms.median) / 2.326 : 0;
  const u1 = Math.max(rand(), 1e-12);
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand());
  const latencyMs = Math.max(0, b.latency_ms.median * Math.exp(sigma * normal) * latencyScale);
  if (rand() >= failureRate) return { outcome: { kind: 'succeed' }, latencyMs };
  const weights = Object.entries(b.errors ?? { provider_unavailable: 1 }) as [ErrorClass, number][];
  const total = weights.reduce((n, [, w]) => n + w, 0);
  let pick = rand() * total;
  for (const [errorClass, w] of weights) {
    pick -= w;
    if (pick <= 0) return { outcome: { kind: 'fail', errorClass }, latencyMs };
  }
  return { outcome: { kind: 'fail', errorClass: weights[0]?.[0] ?? 'provider_unavailable' }, latencyMs };
}

/** SimulationOptions that draw every attempt's fate from the profile. */
export function fleetSimulation(profile: FleetProfile, now: () => number = () => Date.now()): SimulationOptions {
  return {
    decide: (req, provider) => drawOutcome(profile, req, provider, now()).outcome,
    latencyMs: (req, provider) => drawOutcome(profile, req, provider, now()).latencyMs,
    async: (req, provider) => behaviourFor(profile, provider, req.model_identifier).async === true,
  };
}
