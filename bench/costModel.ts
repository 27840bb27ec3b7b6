// Issue 6, item 6: the cost of one run of each worker, from the suite's measured figures and public prices.
import { DEFAULT_TASK_SIZES, parseDeployConfig } from '../infra/deployConfig.js';
import { BUILTIN_WORKERS, executionProfileOf, MINUTE_MS, type ModelAlias, type WorkerDefinition } from '../workers/catalog/index.js';
import { CHARS_PER_TOKEN, estimateInputTokens } from '../workers/headless/estimateRequest.js';
import { DEFAULT_MODEL_IDS, isModelAlias } from '../workers/headless/modelIds.js';
import { modelFamilyOf, priceOf } from '../workers/spend/modelPrices.js';
import { AWS_PRICES, type AwsPrices } from './awsPrices.js';
import type { PipelineFigures } from './pipelineOverhead.js';
import { median, type SectionReport } from './row.js';

/** Figures the cost model takes from the pipeline and fan-out sections (or their stand-ins). */
export interface MeasuredFigures {
  /** True when measured by this run of the suite; false for the stand-ins below. */
  readonly measured: boolean;
  /** A new task's start until it works on its first message (runner start-up, first poll). */
  readonly taskStartSeconds: number;
  /** Download and extraction of the corpus snapshot. */
  readonly workspaceFetchSeconds: number;
  /** Each local worker's own time on the corpus. */
  readonly localRunSeconds: Readonly<Record<string, number>>;
  /** One dispatcher invocation (a schedule tick for one target): the Lambda's duration. */
  readonly dispatchMs: number;
  /** DynamoDB writes of one run besides the final record: QUEUED put, launch lease, claim, heartbeats. */
  readonly smallWritesPerRun: number;
  /** Size of a local worker's final record, by worker. */
  readonly localRecordBytes: Readonly<Record<string, number>>;
  /** DynamoDB reads (Get/Query) of one run, by worker. */
  readonly readsPerRun: Readonly<Record<string, number>>;
  /** SQS calls of one run besides the task's polling: send, delete, queue attributes. */
  readonly sqsCallsPerRun: number;
  /** S3 GETs of one run (the snapshot). */
  readonly s3GetsPerRun: number;
}

/**
 * Stand-ins when the pipeline section did not run in this invocation: the
 * figures it printed on the cdk-subset corpus on 2026-11-25 (rounded, on a loaded 2-core machine).
 */
export const FALLBACK_FIGURES: MeasuredFigures = {
  measured: false,
  taskStartSeconds: 2.5,
  workspaceFetchSeconds: 2.5,
  localRunSeconds: { map: 0.2, consolidate: 0.15, benchmark: 0.3, preload: 0.1 },
  dispatchMs: 80,
  smallWritesPerRun: 4,
  localRecordBytes: { map: 10_500, consolidate: 1_400, benchmark: 1_700, preload: 1_900 },
  readsPerRun: { consolidate: 13 },
  sqsCallsPerRun: 6,
  s3GetsPerRun: 1,
};

const sumOf = (calls: Record<string, number>, names: readonly string[]): number => names.reduce((n, name) => n + (calls[name] ?? 0), 0);
const DYNAMO_WRITES = ['dynamodb PutItem', 'dynamodb UpdateItem', 'dynamodb DeleteItem', 'dynamodb TransactWriteItems', 'dynamodb BatchWriteItem'];
const DYNAMO_READS = ['dynamodb GetItem', 'dynamodb Query', 'dynamodb BatchGetItem', 'dynamodb Scan'];

/** The cost model's inputs from what the pipeline section measured. */
export function figuresFromPipeline(p: PipelineFigures): MeasuredFigures {
  const warm = p.small.filter((r) => !r.cold);
  const cold = p.small.find((r) => r.cold) ?? p.small[0]!;
  const typical = warm[0] ?? cold;
  const sqsCalls = Object.entries(typical.calls).filter(([name]) => name.startsWith('sqs ') && name !== 'sqs ReceiveMessage');
  const corpusMap = p.corpus.find((r) => r.worker === 'map') ?? p.corpus[0]!;
  return {
    measured: true,
    taskStartSeconds: cold.overheadMs / 1000,
    // The corpus run's overhead beyond a small warm run's (dispatch and pick-up): the snapshot's download and extraction.
    workspaceFetchSeconds: Math.max(0, corpusMap.overheadMs - median(warm.map((r) => r.overheadMs))) / 1000,
    localRunSeconds: Object.fromEntries(p.corpus.map((r) => [r.worker, r.durationMs / 1000])),
    dispatchMs: median((warm.length ? warm : p.small).map((r) => r.dispatchMs)),
    // The final record write is priced by its size apart.
    smallWritesPerRun: Math.max(0, sumOf(typical.calls, DYNAMO_WRITES) - 1),
    localRecordBytes: Object.fromEntries(p.corpus.map((r) => [r.worker, r.recordBytes])),
    readsPerRun: Object.fromEntries(p.corpus.map((r) => [r.worker, sumOf(r.calls, DYNAMO_READS)])),
    sqsCallsPerRun: sqsCalls.reduce((n, [, count]) => n + count, 0),
    s3GetsPerRun: typical.calls['s3 GET'] ?? 1,
  };
}

const deployDefaults = parseDeployConfig({});

/** What the model assumes beyond the measured figures. */
export interface CostAssumptions {
  readonly imagePullSeconds: number;
  readonly idleExitSeconds: number;
  readonly fargateMinimumSeconds: number;
  readonly lambdaMemoryMb: number;
  readonly receivesPerTaskSecond: number;
  readonly writeCopies: number;
  readonly s3ThresholdBytes: number;
  readonly typicalOutputShare: number;
  readonly outputTokensPerSecond: Readonly<Record<ModelAlias, number>>;
  readonly scheduleKeyWrites: number;
  readonly resultTtlDays: number;
  readonly daysPerMonth: number;
}

/** Each assumption named, with why. */
export const COST_ASSUMPTIONS: CostAssumptions = {
  /** Fargate bills from the start of the image pull; best estimate for a ~400 MB arm64 image from ECR in-region. */
  imagePullSeconds: 30,
  /** The deployed default: a task waits this long for more work before it exits (billed). */
  idleExitSeconds: deployDefaults.idleExitSeconds,
  /** Fargate bills per second with a one-minute minimum. */
  fargateMinimumSeconds: 60,
  /** infra/constructs/Dispatcher.ts. */
  lambdaMemoryMb: 512,
  /** An idle task polls in rounds of four quick and four 2 s long polls: about one ReceiveMessage a second. */
  receivesPerTaskSecond: 1,
  /** The results table's two global indexes (byWorker, byStatus) project all attributes: each write is paid three times. */
  writeCopies: 3,
  /** Outputs above this go to S3 (deploy default). */
  s3ThresholdBytes: deployDefaults.s3ThresholdBytes,
  /** Best estimate: a typical run writes half its output cap. */
  typicalOutputShare: 0.5,
  /** Best estimate of generation speed, tokens a second, for the headless run's duration. */
  outputTokensPerSecond: { haiku: 150, sonnet: 70, opus: 45 },
  /** Idempotency key of a scheduled run: claimed, then marked sent (measured by the fan-out section). */
  scheduleKeyWrites: 2,
  /** How long records and S3 outputs are kept (the configuration's default). */
  resultTtlDays: 30,
  daysPerMonth: 30,
};

export interface CostComponents {
  readonly fargate: number;
  readonly lambda: number;
  readonly dynamodb: number;
  readonly s3: number;
  readonly sqs: number;
  readonly scheduler: number;
  readonly model: number;
}

export interface WorkerCost {
  readonly worker: string;
  readonly mode: 'local' | 'headless';
  readonly modelId: string | null;
  readonly taskSize: { readonly cpu: number; readonly memoryMiB: number };
  /** Seconds the task is billed for (one run per task: start, run, idle exit). */
  readonly fargateSeconds: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly components: CostComponents;
  readonly total: number;
  /** Scheduled runs a month per target at the catalog's interval; 0 for manual-only workers. */
  readonly runsPerMonth: number;
  readonly monthly: number;
  readonly enabled: boolean;
}

/** The model id a headless worker runs with by default. */
function modelIdOf(def: WorkerDefinition): string | null {
  if (def.mode !== 'headless') return null;
  return isModelAlias(def.model) ? DEFAULT_MODEL_IDS[def.model] : def.model;
}

/** Input and output tokens of a typical headless run: the context filled to its budget, half the output cap. */
export function typicalTokens(def: WorkerDefinition, assumptions: CostAssumptions = COST_ASSUMPTIONS): { input: number; output: number } {
  if (def.mode !== 'headless') return { input: 0, output: 0 };
  // The prompt as sent: the template with its context placeholder filled to the budget.
  const prompt = def.promptTemplate + 'x'.repeat(def.contextBudgetChars);
  return { input: estimateInputTokens(prompt, def.sandbox, def.outputSchema), output: Math.round(def.maxOutputTokens * assumptions.typicalOutputShare) };
}

/**
 * The cost of one scheduled run of a worker on one target, by component, at
 * `prices`: the Fargate task it starts (image pull, start-up, workspace fetch,
 * the run, then the idle wait before exit, at least a minute), the
 * dispatcher's Lambda invocation, the DynamoDB writes and reads, the snapshot
 * GET (and a PUT when the output goes to S3), the SQS calls and the task's
 * polling, the schedule's invocation, and the model's tokens.
 *
 * @example costOfRun(BUILTIN_WORKERS[0], FALLBACK_FIGURES).total
 */
export function costOfRun(def: WorkerDefinition, figures: MeasuredFigures, prices: AwsPrices = AWS_PRICES, assumptions: CostAssumptions = COST_ASSUMPTIONS): WorkerCost {
  const a = assumptions;
  const taskSize = DEFAULT_TASK_SIZES[executionProfileOf(def)];
  const tokens = typicalTokens(def, a);
  const modelId = modelIdOf(def);
  const family = modelId ? modelFamilyOf(modelId) : null;

  const runSeconds = def.mode === 'local' ? (figures.localRunSeconds[def.type] ?? Math.max(...Object.values(figures.localRunSeconds))) : tokens.output / (family ? a.outputTokensPerSecond[family] : a.outputTokensPerSecond.sonnet);
  const busySeconds = a.imagePullSeconds + figures.taskStartSeconds + figures.workspaceFetchSeconds + runSeconds;
  const fargateSeconds = Math.max(a.fargateMinimumSeconds, busySeconds + a.idleExitSeconds);
  const fargate = (fargateSeconds / 3600) * ((taskSize.cpu / 1024) * prices.fargateArmVcpuHour.usd + (taskSize.memoryMiB / 1024) * prices.fargateArmGbHour.usd);

  const lambda = prices.lambdaRequest.usd + (a.lambdaMemoryMb / 1024) * (figures.dispatchMs / 1000) * prices.lambdaArmGbSecond.usd;

  const outputBytes = def.mode === 'local' ? (figures.localRecordBytes[def.type] ?? 2048) : tokens.output * CHARS_PER_TOKEN;
  const toS3 = outputBytes > a.s3ThresholdBytes;
  const recordBytes = toS3 ? 2048 : outputBytes + 2048;
  const writeUnits = (figures.smallWritesPerRun + a.scheduleKeyWrites + Math.ceil(recordBytes / 1024)) * a.writeCopies;
  const readUnits = figures.readsPerRun[def.type] ?? (def.chainsFrom.length > 0 ? def.chainsFrom.length : 0);
  const dynamodb = writeUnits * prices.dynamoWriteRequestUnit.usd + readUnits * prices.dynamoReadRequestUnit.usd;

  // An output in S3 is kept as long as its record (resultTtlDays).
  const s3Storage = toS3 ? (outputBytes / 1e9) * prices.s3StorageGbMonth.usd * (a.resultTtlDays / a.daysPerMonth) : 0;
  const s3 = figures.s3GetsPerRun * prices.s3Get.usd + (toS3 ? prices.s3Put.usd + s3Storage : 0);
  const sqs = (figures.sqsCallsPerRun + fargateSeconds * a.receivesPerTaskSecond) * prices.sqsRequest.usd;
  const scheduler = def.intervalMs > 0 ? prices.schedulerInvocation.usd : 0;
  const model = modelId ? (priceOf(modelId, tokens.input, tokens.output) ?? 0) : 0;

  const components: CostComponents = { fargate, lambda, dynamodb, s3, sqs, scheduler, model };
  const total = Object.values(components).reduce((sum, c) => sum + c, 0);
  const runsPerMonth = def.intervalMs > 0 ? (a.daysPerMonth * 24 * 60 * MINUTE_MS) / def.intervalMs : 0;
  return {
    worker: def.type,
    mode: def.mode,
    modelId,
    taskSize,
    fargateSeconds,
    inputTokens: tokens.input,
    outputTokens: tokens.output,
    components,
    total,
    runsPerMonth,
    monthly: total * runsPerMonth,
    enabled: def.enabled,
  };
}

const usd = (x: number): string => (x === 0 ? '0' : x < 0.0001 ? `$${x.toExponential(1)}` : x < 0.01 ? `$${x.toFixed(5)}` : `$${x.toFixed(4)}`);
const usdMonth = (x: number): string => `$${x.toFixed(2)}`;

/** The per-worker table as markdown, for BENCHMARKS.md and the README. */
export function costTable(costs: readonly WorkerCost[]): string[] {
  return [
    '| worker | mode · model | task | Fargate s | tokens in / out | Fargate | Lambda | DynamoDB | S3 | SQS | model | total a run | runs a month (interval) | a month per target |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...costs.map((c) => {
      const k = c.components;
      const monthly = c.runsPerMonth === 0 ? 'manual' : `${usdMonth(c.monthly)}${c.enabled ? '' : ' (disabled by default)'}`;
      return `| ${c.worker} | ${c.mode}${c.modelId ? ` · ${c.modelId}` : ''} | ${c.taskSize.cpu / 1024} vCPU / ${c.taskSize.memoryMiB / 1024} GB | ${c.fargateSeconds.toFixed(0)} | ${c.inputTokens ? `${c.inputTokens} / ${c.outputTokens}` : '—'} | ${usd(k.fargate)} | ${usd(k.lambda)} | ${usd(k.dynamodb)} | ${usd(k.s3)} | ${usd(k.sqs + k.scheduler)} | ${usd(k.model)} | ${usd(c.total)} | ${c.runsPerMonth || '—'} | ${monthly} |`;
    }),
  ];
}

/** Every built-in worker's cost, as rows (one per worker), the markdown table and the sources of every price. */
export function benchCost(figures: MeasuredFigures, workers: readonly WorkerDefinition[] = BUILTIN_WORKERS): SectionReport & { readonly costs: WorkerCost[] } {
  const costs = workers.map((def) => costOfRun(def, figures));
  const a = COST_ASSUMPTIONS;
  return {
    costs,
    rows: costs.map((c) => ({
      measure: `cost: one run of ${c.worker} (${c.mode}${c.modelId ? `, ${c.modelId}` : ''})`,
      ours: `${usd(c.total)} a run`,
      reference: `model ${usd(c.components.model)} · Fargate ${usd(c.components.fargate)} (${c.fargateSeconds.toFixed(0)} s) · AWS rest ${usd(c.total - c.components.model - c.components.fargate)}`,
      ratio: c.total > 0 ? `model ${((c.components.model / c.total) * 100).toFixed(0)}%` : '—',
      bar: '— (reported)',
      verdict: c.runsPerMonth ? `${usdMonth(c.monthly)} a month per target at every ${(MINUTE_MS * 60 * 24 * a.daysPerMonth) / c.runsPerMonth / MINUTE_MS} min${c.enabled ? '' : ' (disabled by default)'}` : 'manual only',
    })),
    notes: [
      `cost: ${figures.measured ? 'Fargate start-up, workspace fetch, local run times, dispatcher time and API calls measured in this run (pipeline section)' : 'pipeline section not run: its figures of 2026-11-25 stand in (FALLBACK_FIGURES in bench/costModel.ts)'}; one run per task (start, run, ${a.idleExitSeconds} s idle wait, ${a.imagePullSeconds} s image pull, best estimate), at the deploy defaults (task sizes per profile, arm64, 512 MB dispatcher). Tokens: context filled to the worker's budget plus the CLI's own request overhead (estimateRequest), output half the cap (best estimate), one request: further agent turns re-read the context from the prompt cache at a tenth of the input price. Headless run time is output ÷ a best-estimate generation speed (${Object.entries(a.outputTokensPerSecond).map(([m, s]) => `${m} ${s}/s`).join(', ')}). Not counted: CloudWatch Logs, NAT/IPv4 addresses, the reconcile schedule's fixed ${Math.round((a.daysPerMonth * 24 * 60) / deployDefaults.reconcileMinutes)} Lambda calls a month.`,
      `prices (us-east-1, list): ${Object.values(AWS_PRICES)
        .map((p) => `$${p.usd < 0.001 ? p.usd.toExponential(4) : p.usd} ${p.unit} (${p.source}, checked ${p.checked}${'estimate' in p ? `; best estimate: ${p.estimate}` : ''})`)
        .join('; ')}; model tokens at workers/spend/modelPrices.ts.`,
    ],
    details: [
      '',
      '### cost of one run of each worker',
      '',
      ...costTable(costs),
      '',
      `Inputs${figures.measured ? ' measured in this run' : ' (stand-ins)'}: task start-up ${figures.taskStartSeconds.toFixed(2)} s, corpus snapshot fetch ${figures.workspaceFetchSeconds.toFixed(2)} s, local run times ${Object.entries(figures.localRunSeconds).map(([w, s]) => `${w} ${s.toFixed(2)} s`).join(', ')}, dispatcher call ${figures.dispatchMs.toFixed(0)} ms, ${figures.smallWritesPerRun} small DynamoDB writes + the record + ${a.scheduleKeyWrites} idempotency-key writes a run, ${figures.sqsCallsPerRun} SQS calls a run besides polling, ${figures.s3GetsPerRun} S3 GET.`,
    ],
  };
}
