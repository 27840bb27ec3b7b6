import type { IdempotencyKeys, QueuedRun, RunRecords } from '../../workers/cloudRuntime/index.js';
import type { KeyClaim } from '../../workers/cloudRuntime/IdempotencyKeys.js';
import { expiresAtFor } from '../../workers/run/expiry.js';
import { newTargetRunId } from '../../workers/run/runId.js';
import { mapWithConcurrency } from './mapWithConcurrency.js';
import type { PlannedRun } from './planRuns.js';

/** How long an idempotency key is remembered. */
const IDEMPOTENCY_TTL_DAYS = 1;
/**
 * How long a try of a request lives at most, when the invocation does not say
 * (Lambda's 15-minute limit): a holder of the request key older than that is
 * dead and writes nothing more.
 */
const LONGEST_TRY_MS = 15 * 60_000;
/** Added to an invocation's own time left (the time it started with is a little more). */
const LEASE_MARGIN_MS = 30_000;
/** Looks at a request key another try holds (writing its run keys takes a second or two) before giving up. */
const WAIT_LOOKS = 5;
const WAIT_BETWEEN_LOOKS_MS = 2_000;
/** Runs settled one at a time (a retried request) in flight at once. */
const ONE_AT_A_TIME_CONCURRENCY = 8;

/** A run with its QUEUED record, whose message is to be sent, and its idempotency key when the request has one. */
export interface RecordedRun {
  readonly run: QueuedRun;
  readonly key?: string;
  /** The key as this call wrote it in a batch (then it is marked sent in a batch too). */
  readonly claim?: KeyClaim;
}

export interface RecordOutcome {
  /** Runs to send, in the order they were planned. */
  readonly toSend: RecordedRun[];
  /** Run ids an earlier try of the same request had already sent. */
  readonly alreadyQueued: string[];
}

/** What a request asks to queue, and how. */
export interface QueueRequest {
  readonly source: 'schedule' | 'manual';
  /** Prefix of the request's idempotency keys; none: no keys, every call queues. */
  readonly idempotencyBase?: string;
  /** The time this invocation has left (`getRemainingTimeInMillis`): any try of the request lives at most about that long. */
  readonly tryLifetimeMs?: number;
}

export interface RecordQueuedRunsDeps {
  readonly records: RunRecords;
  readonly keys: IdempotencyKeys;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The idempotency key of a planned run under a request's key base: one per (worker, target). */
export function idempotencyKeyOf(idempotencyBase: string, planned: Pick<PlannedRun, 'worker' | 'target'>): string {
  return `${idempotencyBase}#${planned.worker}#${planned.target}`;
}

/**
 * The key of a whole request (one worker, its targets): whoever claims it
 * first writes the run keys in batches. Its `runId` field says how many runs
 * that try planned.
 */
export function requestKeyOf(idempotencyBase: string, worker: string): string {
  return `${idempotencyBase}#${worker}`;
}

/**
 * Records each planned run QUEUED, with its idempotency key when the request
 * has a key base, all before any message is sent.
 *
 * The first try of a request claims the request's key (one conditional
 * write); no other try writes run keys while it holds it, so it writes its run
 * keys (CLAIMED), then the records, 25 a BatchWriteItem call, then marks the
 * request key. A later try (a retried tick) waits until the keys are written,
 * or the first try's lease has run out (it died), then settles each run with
 * a conditional claim of its key: SENT means already queued; CLAIMED by a try
 * that died before sending hands over its run id, and this try finishes its job.
 *
 * @example
 * const { toSend, alreadyQueued } = await recordQueuedRuns(plan.runs, { source: 'schedule', idempotencyBase: 'schedule#2026-11-25T16:00:00.000Z' }, deps);
 */
export async function recordQueuedRuns(
  planned: readonly PlannedRun[],
  request: QueueRequest,
  deps: RecordQueuedRunsDeps,
): Promise<RecordOutcome> {
  const now = deps.clock();
  const queuedAt = now.toISOString();
  const fresh: QueuedRun[] = planned.map((p) => ({ runId: newTargetRunId(p.target, p.worker, now), ...p, source: request.source, queuedAt }));
  const base = request.idempotencyBase;
  if (!base || fresh.length === 0) {
    await deps.records.putQueuedMany(fresh, { sleep: deps.sleep });
    return { toSend: fresh.map((run) => ({ run })), alreadyQueued: [] };
  }

  const keyExpiresAt = expiresAtFor(now, IDEMPOTENCY_TTL_DAYS);
  const requestKey = requestKeyOf(base, fresh[0]!.worker);
  const requestClaim = await deps.keys.claim(requestKey, `${fresh.length} runs`, keyExpiresAt);
  if (requestClaim.claimed) {
    const claims: KeyClaim[] = fresh.map((run) => ({ key: idempotencyKeyOf(base, run), runId: run.runId, claimedAt: queuedAt, expiresAt: keyExpiresAt }));
    // Keys before records: a try that dies in between leaves keys a retry finishes, never records no key points to.
    await deps.keys.putClaimedMany(claims, { sleep: deps.sleep });
    await deps.records.putQueuedMany(fresh, { sleep: deps.sleep });
    await deps.keys.markSent(requestKey);
    return { toSend: fresh.map((run, i) => ({ run, key: claims[i]!.key, claim: claims[i]! })), alreadyQueued: [] };
  }

  await waitForRunKeys(requestKey, request.tryLifetimeMs === undefined ? LONGEST_TRY_MS : request.tryLifetimeMs + LEASE_MARGIN_MS, deps);
  const settled = await mapWithConcurrency(fresh, ONE_AT_A_TIME_CONCURRENCY, (run) => recordOne(run, idempotencyKeyOf(base, run), keyExpiresAt, deps));
  const toSend: RecordedRun[] = [];
  const alreadyQueued: string[] = [];
  for (const entry of settled) {
    if ('alreadyQueued' in entry) alreadyQueued.push(entry.alreadyQueued);
    else toSend.push(entry);
  }
  return { toSend, alreadyQueued };
}

/** Returns once the try holding the request key has written its run keys, or is past its lease; throws if it is still at it. */
async function waitForRunKeys(requestKey: string, leaseMs: number, deps: RecordQueuedRunsDeps): Promise<void> {
  for (let look = 1; ; look++) {
    const held = await deps.keys.read(requestKey);
    if (!held || held.state !== 'CLAIMED') return;
    if (Date.parse(held.claimedAt) + leaseMs <= deps.clock().getTime()) return;
    if (look >= WAIT_LOOKS) {
      throw new Error(`another try of this request (idempotency key ${requestKey}) is still recording its runs; nothing was queued, try again in a few minutes`);
    }
    await deps.sleep(WAIT_BETWEEN_LOOKS_MS);
  }
}

/** One run of a retried request: claim its key, then record it QUEUED under the run id the key holds. */
async function recordOne(fresh: QueuedRun, key: string, keyExpiresAt: number, deps: RecordQueuedRunsDeps): Promise<RecordedRun | { readonly alreadyQueued: string }> {
  let run = fresh;
  const claim = await deps.keys.claim(key, run.runId, keyExpiresAt);
  if (!claim.claimed && claim.state === 'SENT') return { alreadyQueued: claim.runId };
  // CLAIMED by a try that died before sending: finish its job with its run id.
  if (!claim.claimed) run = { ...run, runId: claim.runId };
  await deps.records.putQueued(run);
  return { run, key };
}
