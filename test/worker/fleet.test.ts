import { describe, expect, it } from 'vitest';
import { drawOutcome, type FleetProfile } from '../../src/providers/simulated/fleet.ts';
import type { NormalizedRequest } from '../../src/providers/types.ts';

const req = (i: number): NormalizedRequest => ({
  generation_id: 'g', attempt_id: `a${i}`, model_identifier: 'bfl/flux-schnell', model_type: 'image', raw_model_id: 'x',
  prompt: 'p', output_number: 1, input_files: [], specific: {},
});

const PROFILE: FleetProfile = {
  seed: 42,
  default: { latency_ms: { median: 100, p99: 1000 }, failure_rate: 0.2, errors: { provider_unavailable: 3, rate_limited: 1 } },
  providers: { fal: { failure_rate: 0.5, drift: { period_ms: 60_000, failure_amplitude: 0.4, latency_factor: 0.5 } } },
};

describe('the simulated fleet', () => {
  it('draws the same fate for the same seed and attempt (replayable runs)', () => {
    for (let i = 0; i < 50; i++) expect(drawOutcome(PROFILE, req(i), 'replicate', 0)).toEqual(drawOutcome(PROFILE, req(i), 'replicate', 0));
  });

  it('fails at the configured rate, with the configured error classes, and a lognormal latency around the median', () => {
    const draws = Array.from({ length: 4000 }, (_, i) => drawOutcome(PROFILE, req(i), 'replicate', 0));
    const failures = draws.filter((d) => d.outcome.kind === 'fail');
    expect(failures.length / draws.length).toBeGreaterThan(0.17);
    expect(failures.length / draws.length).toBeLessThan(0.23);
    const classes = new Set(failures.map((d) => (d.outcome.kind === 'fail' ? d.outcome.errorClass : '')));
    expect([...classes].sort()).toEqual(['provider_unavailable', 'rate_limited']);
    const latencies = draws.map((d) => d.latencyMs).sort((a, b) => a - b);
    expect(latencies[2000]).toBeGreaterThan(80);
    expect(latencies[2000]).toBeLessThan(125);
  });

  it('drifts: a provider failure rate and latency swing with the configured period', () => {
    const rate = (nowMs: number) => Array.from({ length: 2000 }, (_, i) => drawOutcome(PROFILE, req(i), 'fal', nowMs)).filter((d) => d.outcome.kind === 'fail').length / 2000;
    expect(rate(15_000)).toBeGreaterThan(0.8); // crest: 0.5 + 0.4
    expect(rate(45_000)).toBeLessThan(0.2); // trough: 0.5 - 0.4
  });
});
