import * as z from 'zod';
import { MODEL_ALIASES, PRIORITIES, SANDBOX_MODES } from '../../workers/catalog/constants.js';
import { isRunId } from '../../workers/run/runId.js';
import type { DispatchRequest, InputProblem } from './types.js';

/** Actions a payload may name. */
export const ACTIONS = ['run', 'status', 'results', 'reconcile'] as const;
const SOURCES = ['schedule', 'manual'] as const;
/** Most runs `results` returns in one answer (Lambda answers stop at 6 MB). */
export const MAX_RESULTS = 20;

const workerField = z.string({ error: 'must be a worker name (a string)' }).min(1, { error: 'must not be empty' });
const modelField = z
  .string({ error: 'must be a string' })
  .max(128, { error: 'must be at most 128 characters' })
  .refine((value) => (MODEL_ALIASES as readonly string[]).includes(value) || /^[\w.:-]*claude[\w.:-]*$/.test(value), {
    error: `must be one of ${MODEL_ALIASES.join(', ')} or a full model id such as claude-sonnet-4-5`,
  });

const schemas = {
  schedule: z.strictObject({
    source: z.literal('schedule'),
    worker: workerField,
    /** `<aws.scheduler.scheduled-time>`: the same for every retry of one tick. */
    scheduledTime: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional(),
  }),
  reconcile: z.strictObject({ source: z.literal('schedule').optional(), action: z.literal('reconcile') }),
  status: z.strictObject({ action: z.literal('status') }),
  results: z.strictObject({
    action: z.literal('results'),
    worker: workerField.optional(),
    last: z
      .number({ error: `must be a whole number from 1 to ${MAX_RESULTS}` })
      .int({ error: `must be a whole number from 1 to ${MAX_RESULTS}` })
      .min(1, { error: `must be a whole number from 1 to ${MAX_RESULTS}` })
      .max(MAX_RESULTS, { error: `must be a whole number from 1 to ${MAX_RESULTS}` })
      .optional(),
    runId: z.string({ error: 'must be a run id (a string)' }).refine(isRunId, { error: 'must be a run id such as api~20261125T160102123Z-audit-3fa9c2e1' }).optional(),
  }),
  run: z.strictObject({
    action: z.literal('run').optional(),
    source: z.literal('manual').optional(),
    worker: workerField,
    target: z.string({ error: 'must be a target name (a string)' }).min(1, { error: 'must not be empty' }).optional(),
    model: modelField.optional(),
    priority: z.enum(PRIORITIES, { error: `must be one of ${PRIORITIES.join(', ')}` }).optional(),
    sandbox: z.enum(SANDBOX_MODES, { error: `must be one of ${SANDBOX_MODES.join(', ')}` }).optional(),
    idempotencyKey: z
      .string({ error: 'must be a string' })
      .regex(/^[\w.:-]{1,128}$/, { error: 'must be 1-128 letters, digits, "_", ".", ":" or "-"' })
      .optional(),
    dryRun: z.boolean({ error: 'must be true or false' }).optional(),
  }),
} as const;

type Kind = keyof typeof schemas;

/** Values a field accepts, for error messages. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  priority: PRIORITIES,
  sandbox: SANDBOX_MODES,
  action: ACTIONS,
  source: SOURCES,
  model: MODEL_ALIASES,
};

/**
 * Reads an invocation payload: a schedule tick, the reconcile tick, a status
 * or results query, or a manual run. Never throws; a refusal names the field,
 * says why, and lists the allowed values where there is a list.
 *
 * @example
 * parseRequest({ worker: 'audit', target: 'api', model: 'haiku' }); // { ok: true, request: { kind: 'run', ... } }
 * parseRequest({ worker: 'audit', priority: 'urgent' }); // { ok: false, problem: { field: 'priority', allowed: [...] } }
 */
export function parseRequest(payload: unknown): { ok: true; request: DispatchRequest } | { ok: false; problem: InputProblem } {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return fail('(payload)', 'is not JSON: send an object such as {"worker":"audit"} or {"action":"status"}');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('(payload)', 'must be a JSON object such as {"worker":"audit"} or {"action":"status"}');
  }
  const record = value as Record<string, unknown>;
  const kind = kindOf(record);
  if ('problem' in kind) return { ok: false, problem: kind.problem };
  const parsed = schemas[kind.kind].safeParse(record);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error, kind.kind, record) };
  const data = parsed.data as Record<string, unknown>;
  switch (kind.kind) {
    case 'schedule':
      return ok({ kind: 'schedule', worker: String(data.worker), ...(data.scheduledTime ? { scheduledTime: String(data.scheduledTime) } : {}) });
    case 'reconcile':
      return ok({ kind: 'reconcile' });
    case 'status':
      return ok({ kind: 'status' });
    case 'results': {
      if (data.runId && data.worker) return fail('runId', 'give either "worker" (with an optional "last") or "runId", not both');
      if (data.runId) {
        if (data.last !== undefined) return fail('last', '"last" goes with "worker", not with "runId"');
        return ok({ kind: 'result', runId: String(data.runId) });
      }
      if (!data.worker) return fail('worker', 'is required: {"action":"results","worker":"audit","last":5} or {"action":"results","runId":"..."}');
      return ok({ kind: 'results', worker: String(data.worker), last: Number(data.last ?? 5) });
    }
    case 'run': {
      const { action: _action, source: _source, dryRun, ...rest } = data;
      if (dryRun === true) return ok({ kind: 'run', ...(rest as Omit<Extract<DispatchRequest, { kind: 'run' }>, 'kind'>), dryRun: true });
      return ok({ kind: 'run', ...(rest as Omit<Extract<DispatchRequest, { kind: 'run' }>, 'kind'>) });
    }
  }
}

function kindOf(record: Record<string, unknown>): { kind: Kind } | { problem: InputProblem } {
  const { action, source } = record;
  if (action !== undefined && !(ACTIONS as readonly unknown[]).includes(action)) {
    return { problem: { field: 'action', message: `unknown action ${JSON.stringify(action)}`, allowed: ACTIONS } };
  }
  if (source !== undefined && !(SOURCES as readonly unknown[]).includes(source)) {
    return { problem: { field: 'source', message: `unknown source ${JSON.stringify(source)}`, allowed: SOURCES } };
  }
  if (action === 'reconcile') return { kind: 'reconcile' };
  if (action === 'status') return { kind: 'status' };
  if (action === 'results') return { kind: 'results' };
  if (source === 'schedule') {
    if (action === 'run') return { problem: { field: 'action', message: 'a schedule tick names a worker only; "run" is for manual requests' } };
    return { kind: 'schedule' };
  }
  return { kind: 'run' };
}

function problemOf(error: z.ZodError, kind: Kind, record: Record<string, unknown>): InputProblem {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const field = issue.keys[0] ?? '(payload)';
    return { field, message: `unknown field for a ${kind} request`, allowed: Object.keys(schemas[kind].shape) };
  }
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(payload)';
  const missing = issue.path.length === 1 && record[String(issue.path[0])] === undefined;
  const message = missing ? 'is required' : issue.message;
  return { field, message, ...(ALLOWED[field] ? { allowed: ALLOWED[field] } : {}) };
}

function ok(request: DispatchRequest): { ok: true; request: DispatchRequest } {
  return { ok: true, request };
}

function fail(field: string, message: string, allowed?: readonly string[]): { ok: false; problem: InputProblem } {
  return { ok: false, problem: { field, message, ...(allowed ? { allowed } : {}) } };
}
