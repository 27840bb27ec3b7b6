/**
 * Key design of the results table, shared by the CDK app (which creates the
 * table and index) and the runtime (which reads and writes it).
 *
 * - run record:      pk = RUN#<runId>                       sk = RUN
 * - worker state:    pk = WORKER#<worker>                   sk = STATE#<target>
 * - idempotency:     pk = IDEMPOTENCY#<key>                 sk = IDEMPOTENCY
 * - finding:         pk = FINDING#<target>#<worker>         sk = <fingerprint>
 * - finding set:     pk = FINDING#<target>#<worker>         sk = FINDINGSET
 *   (lastRunId, version and write lock of the set; in the `byWorker` index
 *   under gsi1pk = FINDINGSETS, gsi1sk = <target>#<worker>, to list the sets.
 *   Neither carries expiresAt: findings outlive the runs that reported them)
 * - task launcher:   pk = LAUNCHER#<profile>                sk = LAUNCHER
 *   (a short lease on starting tasks, plus the launches of the last minute,
 *   so concurrent dispatcher invocations never exceed a profile's cap)
 * - daily spend:     pk = SPEND#<yyyy-mm-dd>                sk = DAY
 *   (spent, reserved and committed USD, tokens, launches, one attribute per
 *   reservation in progress; the deployment's daily caps, see DynamoSpendLedger)
 * - hourly launches: pk = SPEND#<yyyy-mm-ddTHH>             sk = HOUR
 * - model pause:     pk = PAUSE#model                       sk = PAUSE
 *   (pause-until after a rate-limit answer, read by every task before a run)
 *
 * Index `byWorker` (gsi1pk = WORKER#<worker>, gsi1sk = <startedAt>#<runId>)
 * answers "last N runs of a worker" in one query, newest first.
 * Index `byStatus` (sparse: statusKey set only while QUEUED or RUNNING,
 * sortKey = <queuedAt>#<runId>) answers "what is queued or running now".
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  byWorkerIndex: { name: 'byWorker', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byStatusIndex: { name: 'byStatus', partitionKey: 'statusKey', sortKey: 'statusSort' },
} as const;

export const KEY_PREFIX = {
  run: 'RUN#',
  worker: 'WORKER#',
  idempotency: 'IDEMPOTENCY#',
  finding: 'FINDING#',
  spend: 'SPEND#',
  pause: 'PAUSE#',
} as const;

/**
 * S3 key of an output too large for its DynamoDB item; a task's write under
 * a lease names its attempt, so two tasks that ran the same run (one after
 * its lease lapsed) never write the same object.
 */
export function outputObjectKey(worker: string, runId: string, attempt?: number): string {
  return `outputs/${worker}/${runId}${attempt === undefined ? '' : `.attempt-${attempt}`}.json`;
}
