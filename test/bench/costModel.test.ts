import { describe, expect, it } from 'vitest';
import { DEFAULT_TASK_SIZES } from '../../infra/deployConfig.js';
import { BUILTIN_WORKERS, type HeadlessWorkerDefinition, type WorkerDefinition } from '../../workers/catalog/index.js';
import { estimateInputTokens } from '../../workers/headless/estimateRequest.js';
import { AWS_PRICES } from '../../bench/awsPrices.js';
import { COST_ASSUMPTIONS, costOfRun, costTable, figuresFromPipeline, type MeasuredFigures } from '../../bench/costModel.js';
import type { PipelineFigures, TimedRun } from '../../bench/pipelineOverhead.js';

const FIGURES: MeasuredFigures = {
  measured: true,
  taskStartSeconds: 2,
  workspaceFetchSeconds: 3,
  localRunSeconds: { map: 5 },
  dispatchMs: 200,
  smallWritesPerRun: 4,
  localRecordBytes: { map: 3000 },
  readsPerRun: {},
  sqsCallsPerRun: 6,
  s3GetsPerRun: 1,
};
const worker = (type: string): WorkerDefinition => BUILTIN_WORKERS.find((w) => w.type === type)!;
const p = AWS_PRICES;

describe('the cost of one run', () => {
  it('prices a local run: Fargate for pull + start + fetch + run + idle wait, and each AWS call', () => {
    const cost = costOfRun(worker('map'), FIGURES);

    const seconds = 30 + 2 + 3 + 5 + 120;
    expect(cost.fargateSeconds).toBe(seconds);
    expect(DEFAULT_TASK_SIZES.local).toEqual({ cpu: 512, memoryMiB: 1024 });
    expect(cost.components.fargate).toBeCloseTo((seconds / 3600) * (0.5 * 0.03238 + 1 * 0.00356), 12);
    expect(cost.components.lambda).toBeCloseTo(0.2e-6 + 0.5 * 0.2 * 0.0000133334, 15);
    // 4 small writes + 2 idempotency-key writes + a 3,000-byte output in a 5,048-byte record (5 units), each paid for the table and two indexes
    expect(cost.components.dynamodb).toBeCloseTo((4 + 2 + 5) * 3 * 0.625e-6, 15);
    expect(cost.components.s3).toBeCloseTo(0.0004 / 1000, 15);
    expect(cost.components.sqs).toBeCloseTo((6 + seconds) * 0.4e-6, 15);
    expect(cost.components.scheduler).toBeCloseTo(1e-6, 15);
    expect(cost.components.model).toBe(0);
    expect(cost.total).toBeCloseTo(Object.values(cost.components).reduce((a, b) => a + b, 0), 15);
    expect(cost.runsPerMonth).toBe(2880);
    expect(cost.monthly).toBeCloseTo(cost.total * 2880, 12);
  });

  it('prices a headless run at its default model: the context budget plus the CLI overhead in, half the output cap out', () => {
    const audit = worker('audit') as HeadlessWorkerDefinition;

    const cost = costOfRun(audit, FIGURES);

    const input = estimateInputTokens(audit.promptTemplate + 'x'.repeat(audit.contextBudgetChars), audit.sandbox, audit.outputSchema);
    expect(cost.modelId).toBe('claude-haiku-5-5');
    expect(cost.inputTokens).toBe(input);
    expect(cost.inputTokens).toBeGreaterThan(audit.contextBudgetChars / 4);
    expect(cost.outputTokens).toBe(4000);
    expect(cost.components.model).toBeCloseTo((input * 1 + 4000 * 5) / 1e6, 12);
    // strict profile: 1 vCPU / 2 GB, for 4,000 tokens at 150 a second
    expect(cost.fargateSeconds).toBeCloseTo(30 + 2 + 3 + 4000 / 150 + 120, 9);
    expect(cost.components.fargate).toBeCloseTo((cost.fargateSeconds / 3600) * (0.03238 + 2 * 0.00356), 12);
  });

  it('bills at least a Fargate minute, and a manual-only worker has no schedule and no monthly figure', () => {
    const quick = { ...COST_ASSUMPTIONS, imagePullSeconds: 0, idleExitSeconds: 0 };

    const cost = costOfRun(worker('deepdive'), { ...FIGURES, taskStartSeconds: 0, workspaceFetchSeconds: 0 }, p, { ...quick, outputTokensPerSecond: { haiku: 1e9, sonnet: 1e9, opus: 1e9 } });

    expect(cost.fargateSeconds).toBe(60);
    expect(cost.components.scheduler).toBe(0);
    expect(cost.runsPerMonth).toBe(0);
    expect(cost.monthly).toBe(0);
  });

  it('puts an output above the S3 threshold in S3: a PUT and its storage for the retention period, a small record', () => {
    const big = { ...(worker('refactor') as HeadlessWorkerDefinition), maxOutputTokens: 40_000 };

    const cost = costOfRun(big, FIGURES);

    const outputBytes = 20_000 * 4;
    expect(outputBytes).toBeGreaterThan(COST_ASSUMPTIONS.s3ThresholdBytes);
    expect(cost.components.s3).toBeCloseTo(0.0004 / 1000 + 0.005 / 1000 + (outputBytes / 1e9) * 0.023, 15);
    // one read of each chained worker's latest result
    expect(big.chainsFrom.length).toBeGreaterThan(0);
    expect(cost.components.dynamodb).toBeCloseTo((4 + 2 + 2) * 3 * 0.625e-6 + big.chainsFrom.length * 0.125e-6, 15);
  });
});

describe('the cost model inputs from the pipeline section', () => {
  const run = (over: Partial<TimedRun>): TimedRun => ({
    worker: 'map',
    status: 'SUCCEEDED',
    triggerToStoredMs: 1000,
    durationMs: 100,
    overheadMs: 900,
    dispatchMs: 50,
    cold: false,
    peakTreeRssMiB: 150,
    calls: {},
    recordBytes: 1000,
    ...over,
  });

  it('takes start-up from the cold run, fetch from the corpus map run, and counts calls without the final write or the polling', () => {
    const pipeline: PipelineFigures = {
      small: [
        run({ cold: true, overheadMs: 1500, dispatchMs: 90 }),
        run({ dispatchMs: 40, calls: { 'dynamodb PutItem': 1, 'dynamodb UpdateItem': 4, 'sqs SendMessageBatch': 1, 'sqs GetQueueAttributes': 4, 'sqs ReceiveMessage': 9, 'sqs DeleteMessage': 1, 's3 GET': 1 } }),
        run({ dispatchMs: 60, overheadMs: 500 }),
      ],
      corpus: [run({ overheadMs: 2500, durationMs: 400, recordBytes: 11_000 }), run({ worker: 'consolidate', durationMs: 80, recordBytes: 1400, calls: { 'dynamodb Query': 13 } })],
      corpusSnapshotBytes: 3e6,
      smallTasksStarted: 1,
      runnerHwmMiB: 180,
    };

    const figures = figuresFromPipeline(pipeline);

    expect(figures).toEqual({
      measured: true,
      taskStartSeconds: 1.5,
      // 2,500 ms beyond the warm runs' median of 700 ms
      workspaceFetchSeconds: 1.8,
      localRunSeconds: { map: 0.4, consolidate: 0.08 },
      dispatchMs: 50,
      smallWritesPerRun: 4,
      localRecordBytes: { map: 11_000, consolidate: 1400 },
      readsPerRun: { map: 0, consolidate: 13 },
      sqsCallsPerRun: 6,
      s3GetsPerRun: 1,
    });
  });
});

describe('the cost table', () => {
  it('has one row per built-in worker, manual-only ones marked so', () => {
    const lines = costTable(BUILTIN_WORKERS.map((w) => costOfRun(w, FIGURES)));

    expect(lines).toHaveLength(2 + 12);
    expect(lines.find((l) => l.startsWith('| deepdive '))).toMatch(/\| manual \|$/);
    expect(lines.find((l) => l.startsWith('| map '))).toMatch(/\| 2880 \| \$\d+\.\d\d \|$/);
  });
});
