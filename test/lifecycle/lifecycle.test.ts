import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTEMPT_STATES, ATTEMPT_TRANSITIONS, GENERATION_STATES, GENERATION_TRANSITIONS } from '../../src/lifecycle.ts';
import { scriptedProviders } from '../helpers/script.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const script = scriptedProviders();
let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ simulation: script.simulation, credits: 10 });
  // record every status change the SQL makes while the scenarios below run
  await s.pool.query(`
    create table public.transitions_seen (entity text, old_state text, new_state text);
    create function public.record_generation() returns trigger language plpgsql as $$
    begin
      if old.status is distinct from new.status then
        insert into public.transitions_seen values ('generation', old.status, new.status);
      end if;
      return new;
    end $$;
    create function public.record_attempt() returns trigger language plpgsql as $$
    begin
      if old.state is distinct from new.state then
        insert into public.transitions_seen values ('attempt', old.state, new.state);
      end if;
      return new;
    end $$;
    create trigger record_g after update on seaplane.generations for each row execute function public.record_generation();
    create trigger record_a after update on seaplane.attempts for each row execute function public.record_attempt();`);
});
afterAll(async () => {
  await s.close();
});

function mermaidEdges(md: string, section: string): string[] {
  const block = md.split(`## ${section}`)[1]?.split('```mermaid')[1]?.split('```')[0] ?? '';
  return [...block.matchAll(/^\s*(\w+) --> (\w+)\s*$/gm)].map((m) => `${m[1]}->${m[2]}`).sort();
}

async function checkStates(table: string, constraint: string): Promise<string[]> {
  const r = await s.pool.query<{ def: string }>(`select pg_get_constraintdef(oid) as def from pg_constraint where conname = $1 and conrelid = $2::regclass`, [constraint, table]);
  return [...(r.rows[0]?.def ?? '').matchAll(/'(\w+)'::text/g)].map((m) => m[1] as string).sort();
}

describe('the lifecycle: diagram, TypeScript table and CHECK constraints agree', () => {
  it('the CHECK constraints list exactly the states of the TypeScript table', async () => {
    expect(await checkStates('seaplane.generations', 'generation_status_known')).toEqual([...GENERATION_STATES].sort());
    expect(await checkStates('seaplane.attempts', 'attempt_state_known')).toEqual([...ATTEMPT_STATES].sort());
  });

  it('docs/lifecycle.md draws exactly the transitions of the TypeScript table', async () => {
    const md = await readFile(new URL('../../docs/lifecycle.md', import.meta.url), 'utf8');
    expect(mermaidEdges(md, 'Generation')).toEqual(GENERATION_TRANSITIONS.map(([a, b]) => `${a}->${b}`).sort());
    expect(mermaidEdges(md, 'Attempt')).toEqual(ATTEMPT_TRANSITIONS.map(([a, b]) => `${a}->${b}`).sort());
  });

  it('the SQL makes no transition the table does not list (success, retry, failover, fail-fast, cancel)', async () => {
    const fail = (errorClass: 'provider_unavailable' | 'auth' | 'moderation') => ({ kind: 'fail' as const, errorClass, retryAfterMs: 0 });
    script.set('retry', { replicate: [fail('provider_unavailable')] });
    script.set('failover', { replicate: [fail('auth')] });
    script.set('fast', { replicate: [fail('moderation')] });
    for (const prompt of ['ok', 'retry', 'failover', 'fast']) {
      const r = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: prompt, generation_provider_order: 'replicate, fal' } });
      await s.waitForTerminal(r.json.data.generation_id);
    }
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let reached!: () => void;
    const started = new Promise<void>((r) => { reached = r; });
    script.set('cancel', { replicate: [async () => { reached(); await held; return { kind: 'succeed' }; }] });
    const c = await s.request('POST', '/v1/generate/image/bfl/flux-schnell', { body: { generation_prompt: 'cancel', generation_provider_order: 'replicate, fal' } });
    await started;
    await s.request('POST', `/v1/content/generation/cancel/${c.json.data.generation_id}`);
    const done = new Promise<void>((r) => s.worker?.events.once('job:complete', () => r()));
    release();
    await done;

    const seen = (await s.pool.query<{ entity: string; old_state: string; new_state: string }>('select distinct entity, old_state, new_state from public.transitions_seen')).rows;
    const allowed = new Set([
      ...GENERATION_TRANSITIONS.map(([a, b]) => `generation:${a}->${b}`),
      ...ATTEMPT_TRANSITIONS.map(([a, b]) => `attempt:${a}->${b}`),
    ]);
    const observed = seen.map((r) => `${r.entity}:${r.old_state}->${r.new_state}`);
    expect(observed.filter((t) => !allowed.has(t))).toEqual([]);
    expect(observed).toEqual(expect.arrayContaining(['generation:pending->processing', 'generation:processing->succeeded', 'generation:processing->failed', 'generation:processing->canceled', 'attempt:submitted->succeeded', 'attempt:submitted->failed', 'attempt:submitted->canceled']));
  });
});
