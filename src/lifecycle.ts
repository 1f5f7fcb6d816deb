// The lifecycle, as data: the states and the transitions the SQL functions may make. docs/
// lifecycle.md draws the same edges and the CHECK constraints list the same states; a test
// proves all three agree and that the SQL never makes a transition missing here.

export const GENERATION_STATES = ['pending', 'processing', 'succeeded', 'failed', 'canceled'] as const;
export type GenerationState = (typeof GENERATION_STATES)[number];

export const GENERATION_TRANSITIONS: readonly (readonly [GenerationState, GenerationState, string])[] = [
  ['pending', 'processing', 'attempt_start: the first provider is called'],
  ['pending', 'failed', 'generations_expire_due: deadline before any attempt started'],
  ['pending', 'canceled', 'generation_cancel'],
  ['processing', 'succeeded', 'attempt_succeed'],
  ['processing', 'failed', 'attempt_fail (fail fast or every provider failed), generations_expire_due'],
  ['processing', 'canceled', 'generation_cancel'],
];

export const ATTEMPT_STATES = ['queued', 'submitted', 'running', 'succeeded', 'failed', 'timed_out', 'canceled'] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

export const ATTEMPT_TRANSITIONS: readonly (readonly [AttemptState, AttemptState, string])[] = [
  ['queued', 'submitted', 'attempt_start: leased, the provider is being called'],
  ['queued', 'canceled', 'generation ended before the attempt ran'],
  ['queued', 'timed_out', 'generations_expire_due'],
  ['queued', 'failed', 'attempt_fail before submission (provider not configured)'],
  ['submitted', 'running', 'attempt_record_job: the provider took the job'],
  ['submitted', 'succeeded', 'attempt_succeed: a synchronous provider answered'],
  ['submitted', 'failed', 'attempt_fail, or attempts_reap: lease expired before the provider answered'],
  ['submitted', 'timed_out', 'attempt_fail(timeout), generations_expire_due'],
  ['submitted', 'canceled', 'generation_cancel, or a late result after the generation ended'],
  ['running', 'succeeded', 'attempt_succeed from a poll or a webhook'],
  ['running', 'failed', 'attempt_fail from a poll or a webhook'],
  ['running', 'timed_out', 'attempt_fail(timeout), generations_expire_due'],
  ['running', 'canceled', 'generation_cancel, or a late result after the generation ended'],
];

export const TERMINAL_GENERATION_STATES: ReadonlySet<GenerationState> = new Set(['succeeded', 'failed', 'canceled']);
