// Issue 6, item 4 (second half): fan-out of one scheduled worker over many targets into the emulator,
// through the real dispatcher, against the naive loop of one SendMessage per target.
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RunRecords, serializeTaskMessage, TASK_MESSAGE_VERSION, type QueuedRun } from '../workers/cloudRuntime/index.js';
import { newRunId } from '../workers/run/runId.js';
import { createTestPipeline, SNAPSHOT_BUCKET, type TestPipeline } from '../test/helpers/motoPipeline.js';
import { startMotoServer } from '../test/helpers/motoServer.js';
import { startCountingProxy, type CountingProxy } from './countingProxy.js';
import { fmtMs, ratio, type SectionReport } from './row.js';

/** What one side of the comparison did. */
export interface FanOutSide {
  readonly wallMs: number;
  /** API calls by "service Action". */
  readonly calls: Record<string, number>;
  readonly totalCalls: number;
  /** SendMessage / SendMessageBatch calls alone. */
  readonly sqsSendCalls: number;
}

export interface FanOutFigures {
  readonly targets: number;
  readonly ours: FanOutSide & { readonly queued: number; readonly tasksStarted: number };
  readonly naive: FanOutSide;
}

const WORKER = 'map';

/** A configuration of `count` S3 snapshot targets. */
export function manyTargetsConfig(count: number): { targets: { name: string; s3: { bucket: string; key: string } }[] } {
  return { targets: Array.from({ length: count }, (_, i) => ({ name: `t${String(i).padStart(4, '0')}`, s3: { bucket: SNAPSHOT_BUCKET, key: `t${i}.tar.gz` } })) };
}

function side(proxy: CountingProxy, started: number): FanOutSide {
  const calls = proxy.counts();
  return { wallMs: performance.now() - started, calls, totalCalls: proxy.total(), sqsSendCalls: (calls['sqs SendMessage'] ?? 0) + (calls['sqs SendMessageBatch'] ?? 0) };
}

/**
 * The naive fan-out, written as one would without the dispatcher: per target,
 * the same QUEUED record (RunRecords.putQueued) and the same task message, sent
 * with one SendMessage each. No idempotency keys, no task start.
 */
async function naiveLoop(pipeline: TestPipeline, targets: readonly string[]): Promise<void> {
  const documentClient = DynamoDBDocumentClient.from(pipeline.clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const records = new RunRecords({ documentClient, tableName: pipeline.tableName, resultTtlDays: 30 });
  const now = new Date();
  for (const target of targets) {
    const run: QueuedRun = { runId: newRunId(WORKER, now), worker: WORKER, target, profile: 'local', priority: 'normal', source: 'schedule', queuedAt: now.toISOString() };
    await records.putQueued(run);
    await pipeline.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: pipeline.queueUrls.local.normal,
        MessageBody: serializeTaskMessage({ v: TASK_MESSAGE_VERSION, ...run }),
        MessageAttributes: { worker: { DataType: 'String', StringValue: WORKER }, runId: { DataType: 'String', StringValue: run.runId } },
      }),
    );
  }
}

/**
 * Runs both fan-outs against one moto_server, each counted at the wire by a
 * proxy: the dispatcher handling one schedule tick of `map` over `count`
 * targets (the request's idempotency key, then the runs' keys and QUEUED records
 * by BatchWriteItem, SendMessageBatch by ten, keys marked sent, then task start
 * under the launch lease), and the naive loop.
 *
 * @example const figures = await measureFanOut(1000); figures.ours.totalCalls
 */
export async function measureFanOut(count = 1000): Promise<FanOutFigures> {
  const moto = await startMotoServer();
  const proxy = await startCountingProxy(moto.endpoint);
  try {
    const config = manyTargetsConfig(count);
    const targets = config.targets.map((t) => t.name);
    // Each side on a fresh emulator (moto slows as a queue and a table fill), warmed on a handful of targets, uncounted.
    const freshPipeline = async (): Promise<TestPipeline> => {
      await moto.reset();
      const pipeline = await createTestPipeline(proxy.endpoint, { config, profiles: ['local'] });
      await naiveLoop(pipeline, targets.slice(0, 10));
      proxy.reset();
      return pipeline;
    };

    let pipeline = await freshPipeline();
    let started = performance.now();
    const response = (await pipeline.dispatch({ source: 'schedule', worker: WORKER, scheduledTime: new Date().toISOString() }, { awsRequestId: 'bench-fan-out' })) as {
      queued?: number;
      tasksStarted?: number;
      error?: unknown;
    };
    if (response.error) throw new Error(`dispatcher refused the tick: ${JSON.stringify(response.error)}`);
    const ours = { ...side(proxy, started), queued: response.queued ?? 0, tasksStarted: response.tasksStarted ?? 0 };
    if (ours.queued !== count) throw new Error(`dispatcher queued ${ours.queued} of ${count} runs`);

    pipeline = await freshPipeline();
    started = performance.now();
    await naiveLoop(pipeline, targets);
    const naive = side(proxy, started);
    return { targets: count, ours, naive };
  } finally {
    await proxy.stop();
    await moto.stop();
  }
}

const callList = (calls: Record<string, number>): string =>
  Object.entries(calls)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${n} ${name}`)
    .join(', ');

/** The section's rows: API calls (all, and SQS sends alone) and wall time, ours against the naive loop. */
export async function benchFanOut(count = 1000): Promise<SectionReport> {
  const f = await measureFanOut(count);
  const fewer = f.naive.totalCalls / f.ours.totalCalls;
  const fewerSends = f.naive.sqsSendCalls / f.ours.sqsSendCalls;
  return {
    rows: [
      {
        measure: `fan-out: API calls, one schedule tick over ${f.targets} targets (all services)`,
        ours: `${f.ours.totalCalls} (${(f.ours.totalCalls / f.targets).toFixed(2)} a target)`,
        reference: `naive loop ${f.naive.totalCalls} (${(f.naive.totalCalls / f.targets).toFixed(2)} a target)`,
        ratio: `${fewer.toFixed(2)}x fewer`,
        bar: '≥ 5x fewer API calls',
        verdict: fewer >= 5 ? 'met' : `NOT met (${fewer.toFixed(2)}x; SQS sends alone ${fewerSends.toFixed(1)}x fewer)`,
      },
      {
        measure: 'fan-out: SQS send calls',
        ours: `${f.ours.sqsSendCalls} SendMessageBatch`,
        reference: `naive loop ${f.naive.sqsSendCalls} SendMessage`,
        ratio: `${fewerSends.toFixed(1)}x fewer`,
        bar: '≥ 5x fewer',
        verdict: fewerSends >= 5 ? 'met' : `NOT met (${fewerSends.toFixed(1)}x)`,
      },
      {
        measure: `fan-out: wall time, ${f.targets} targets into the emulator`,
        ours: fmtMs(f.ours.wallMs),
        reference: `naive loop ${fmtMs(f.naive.wallMs)}`,
        ratio: ratio(f.ours.wallMs, f.naive.wallMs),
        bar: 'faster than the naive loop',
        verdict: f.ours.wallMs < f.naive.wallMs ? `met (${(f.naive.wallMs / f.ours.wallMs).toFixed(2)}x faster)` : `NOT met (${(f.ours.wallMs / f.naive.wallMs).toFixed(2)}x slower)`,
      },
    ],
    notes: [
      `fan-out: both sides counted at the wire by a proxy in front of moto. Dispatcher: ${callList(f.ours.calls)} (queued ${f.ours.queued}, started ${f.ours.tasksStarted} tasks). Naive loop: ${callList(f.naive.calls)} — the same QUEUED record and message per target, but no idempotency keys and no task start.`,
    ],
    details: [],
  };
}
