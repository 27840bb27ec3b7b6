import * as z from 'zod';
import { EXECUTION_PROFILES, PRIORITIES, SANDBOX_MODES } from '../catalog/constants.js';
import { isRunId, targetOfRunId } from '../run/runId.js';

/** Version of the task message: a runner refuses messages of a version it does not know. */
export const TASK_MESSAGE_VERSION = 1;

/** Worker names as they appear in keys and S3 paths. */
export const WORKER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Target names, as the config file allows them. */
export const TARGET_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The body of one SQS task message: one run of one worker on one target.
 * The dispatcher writes it, the task runner reads it; the run id is decided
 * by the dispatcher, so every delivery of the message is the same run.
 */
export const taskMessageSchema = z.strictObject({
  v: z.literal(TASK_MESSAGE_VERSION),
  runId: z.string().refine(isRunId, { error: 'must be a run id such as api~20261125T160102123Z-audit-3fa9c2e1' }),
  worker: z.string().regex(WORKER_NAME_PATTERN, { error: 'must be 1-64 letters, digits, "_" or "-"' }),
  target: z.string().regex(TARGET_NAME_PATTERN, { error: 'must be 1-64 letters, digits, ".", "_" or "-"' }),
  profile: z.enum(EXECUTION_PROFILES),
  priority: z.enum(PRIORITIES),
  source: z.enum(['schedule', 'manual']),
  queuedAt: z.iso.datetime(),
  /** Model alias or id the caller chose instead of the catalog's. */
  model: z.string().min(1).max(128).optional(),
  /** Sandbox the caller tightened the worker to. */
  sandbox: z.enum(SANDBOX_MODES).optional(),
}).check((ctx) => {
  // The run id names its target (`api~...`): the prefix the task roles' grants on run records
  // and outputs are confined by, so a message whose id names another target is refused.
  const { runId, target } = ctx.value;
  if (targetOfRunId(runId) !== target) {
    ctx.issues.push({ code: 'custom', path: ['runId'], input: runId, message: `must name the message's target ("${target}~..."), as the dispatcher makes it` });
  }
});

export type TaskMessage = z.infer<typeof taskMessageSchema>;

/** What could be read from a message that is not a valid task message. */
export interface UnreadableTaskMessage {
  readonly reason: string;
  /** Fields that were readable, so the failure can be filed under the right run. */
  readonly partial: { readonly runId?: string; readonly worker?: string; readonly target?: string };
}

/**
 * Parses an SQS message body; never throws.
 *
 * @example
 * const parsed = parseTaskMessage(message.Body ?? '');
 * if (!parsed.ok) recordPoison(parsed.error.reason);
 */
export function parseTaskMessage(body: string): { ok: true; message: TaskMessage } | { ok: false; error: UnreadableTaskMessage } {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    return { ok: false, error: { reason: `body is not JSON (${(error as Error).message})`, partial: {} } };
  }
  const parsed = taskMessageSchema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  const unknownKeys = issue && 'keys' in issue && Array.isArray(issue.keys) ? (issue.keys as string[]).join(', ') : '';
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : unknownKeys || '(body)';
  const reason = `${field}: ${issue?.message ?? 'invalid'}`;
  return { ok: false, error: { reason, partial: readablePart(raw) } };
}

function readablePart(raw: unknown): UnreadableTaskMessage['partial'] {
  if (typeof raw !== 'object' || raw === null) return {};
  const record = raw as Record<string, unknown>;
  const text = (value: unknown, valid: (v: string) => boolean) => (typeof value === 'string' && valid(value) ? value : undefined);
  // A run id naming another target than the message's is not filed under: the failure goes to a run id of its own.
  const runId = text(record.runId, (v) => isRunId(v) && targetOfRunId(v) === record.target);
  const worker = text(record.worker, (v) => WORKER_NAME_PATTERN.test(v));
  const target = text(record.target, (v) => TARGET_NAME_PATTERN.test(v));
  return { ...(runId ? { runId } : {}), ...(worker ? { worker } : {}), ...(target ? { target } : {}) };
}

/** The message body for a run. */
export function serializeTaskMessage(message: TaskMessage): string {
  return JSON.stringify(message);
}
