import * as z from 'zod';
import { RUN_STATUSES, WORKER_MODES } from '../catalog/constants.js';
import { isRunId } from '../run/runId.js';
import type { RunResult } from '../run/types.js';

/**
 * How far in the future a stored time may lie before the record is refused:
 * clocks of two machines sharing a state folder drift a little, a forged
 * record's "finished next year" does not.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;

const COMMIT = /^[0-9a-f]{40,64}$/;

/**
 * The fields a reader trusts a stored record for (identity, times, status,
 * the scan baseline), checked strictly; every other field is kept as stored,
 * so a newer writer's additions survive.
 */
const storedRunRecordSchema = z.looseObject({
  runId: z.string().refine(isRunId, { message: 'not a run id' }),
  worker: z.string().regex(/^[A-Za-z0-9_-]+$/),
  target: z.string().min(1),
  mode: z.enum(WORKER_MODES),
  requestedMode: z.enum(WORKER_MODES),
  status: z.enum(RUN_STATUSES),
  success: z.boolean(),
  outputFormat: z.string(),
  output: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  tokens: z.looseObject({ input: z.number(), output: z.number(), cacheRead: z.number(), cacheCreation: z.number() }),
  costUsd: z.number().nonnegative(),
  model: z.string().nullable(),
  sandboxMode: z.string().nullable(),
  numTurns: z.number().int().nonnegative(),
  violations: z.array(z.looseObject({ tool: z.string(), kind: z.string(), detail: z.string() })),
  scan: z
    .looseObject({
      kind: z.enum(['full', 'incremental']),
      headCommit: z.string().regex(COMMIT).nullable(),
      baseCommit: z.string().regex(COMMIT).optional(),
      changedFiles: z.number().int().nonnegative().optional(),
      reason: z.string(),
    })
    .optional(),
  expiresAt: z.number(),
});

export type StoredRecordVerdict = { readonly ok: true; readonly record: RunResult } | { readonly ok: false; readonly reason: string };

/** The time a run id says it was made (`20261125T160102123Z-…`). */
function runIdTime(runId: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z/.exec(runId);
  if (!match) return Number.NaN;
  const [, y, mo, d, h, mi, s, ms] = match;
  return Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms ?? '000'}Z`);
}

/**
 * Checks a run record read back from a local state folder before anything
 * trusts it (the incremental-scan baseline, chaining, `results`): the shape,
 * that it is the run its file name says (`<worker>/<runId>.json`), and that
 * its times are possible: made, started and finished no later than now plus
 * a small clock-skew allowance, finished after it started. A record planted
 * with `finishedAt` next year would otherwise stay "the latest baseline" for ever.
 *
 * @example const verdict = checkStoredRunRecord(JSON.parse(text), { worker: 'audit', runId }, new Date());
 */
export function checkStoredRunRecord(value: unknown, expected: { readonly worker: string; readonly runId: string }, now: Date): StoredRecordVerdict {
  const parsed = storedRunRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `not a run record (${issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'invalid'})` };
  }
  const record = parsed.data;
  if (record.runId !== expected.runId || record.worker !== expected.worker) {
    return { ok: false, reason: `it says it is ${record.worker}/${record.runId}, but is stored as ${expected.worker}/${expected.runId}` };
  }
  const latest = now.getTime() + CLOCK_SKEW_ALLOWANCE_MS;
  const started = Date.parse(record.startedAt);
  const finished = Date.parse(record.finishedAt);
  if (runIdTime(record.runId) > latest) return { ok: false, reason: 'its run id is dated in the future' };
  if (started > latest) return { ok: false, reason: `startedAt ${record.startedAt} is in the future` };
  if (finished > latest) return { ok: false, reason: `finishedAt ${record.finishedAt} is in the future` };
  if (finished < started) return { ok: false, reason: 'it finished before it started' };
  return { ok: true, record: record as unknown as RunResult };
}
