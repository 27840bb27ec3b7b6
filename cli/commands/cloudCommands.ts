import { Command, InvalidArgumentError, Option } from 'commander';
import { PRIORITIES, SANDBOX_MODES } from '../../workers/catalog/constants.js';
import {
  isErrorResponse,
  isFinalRun,
  withClaimedOutput,
  type DispatchResponse,
  type DryRunResponse,
  type ErrorResponse,
  type ResultsResponse,
  type RunResponse,
  type StatusResponse,
  type StoredRun,
} from '../../workers/cloudRuntime/index.js';
import { isRunId } from '../../workers/run/runId.js';
import { DispatcherError } from '../cloud/DispatcherInvoker.js';
import { renderCloudStatus } from '../cloud/renderCloudStatus.js';
import { renderRunTable, renderStoredRun } from '../cloud/renderCloudResults.js';
import { connectToStack, type CloudConnection, type CloudOptions } from '../cloud/resolveDispatcher.js';
import { EXIT } from '../exitCodes.js';
import { detectTerminal, type Terminal } from '../format/terminal.js';

/** What the cloud commands need from outside; tests replace the connection (moto's Lambda needs Docker). */
export interface CloudCommandDeps {
  readonly connect?: (options: CloudOptions) => Promise<CloudConnection>;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly terminal?: () => Terminal;
  readonly now?: () => Date;
}

export function withCloudOptions(command: Command): Command {
  return command
    .option('--stack <name>', 'deployed stack whose outputs name the dispatcher (default: $HW_STACK_NAME or HeadlessWorkers)')
    .option('--function <name>', 'dispatcher function name or ARN (skips the stack lookup; default: $HW_DISPATCHER_FUNCTION)')
    .option('--region <region>', 'AWS region (default: the SDK\'s, e.g. $AWS_REGION)')
    .option('--endpoint-url <url>', 'custom endpoint for every AWS call, e.g. an emulator (default: $HW_AWS_ENDPOINT)');
}

function cloudOptionsOf(options: Record<string, unknown>): CloudOptions {
  return {
    ...(typeof options.stack === 'string' ? { stack: options.stack } : {}),
    ...(typeof options.function === 'string' ? { function: options.function } : {}),
    ...(typeof options.region === 'string' ? { region: options.region } : {}),
    ...(typeof options.endpointUrl === 'string' ? { endpointUrl: options.endpointUrl } : {}),
  };
}

function parseLast(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new InvalidArgumentError('must be a whole number from 1 to 20');
  return n;
}

function parseRunId(value: string): string {
  if (!isRunId(value)) throw new InvalidArgumentError('must be a run id such as api~20261125T160102123Z-audit-3fa9c2e1');
  return value;
}

/** What every cloud command body shares: the connection, output, and how refusals and an unreachable dispatcher end. */
function cloudCommandKit(setExitCode: (code: number) => void, deps: CloudCommandDeps) {
  const connect = deps.connect ?? ((options: CloudOptions) => connectToStack(options));
  const out = deps.stdout ?? ((text: string) => process.stdout.write(text));
  const err = deps.stderr ?? ((text: string) => process.stderr.write(text));
  const terminal = deps.terminal ?? (() => detectTerminal());
  const now = deps.now ?? (() => new Date());

  /** Runs a command body; reports refusals (exit 2) and an unreachable dispatcher (exit 1) without a stack trace. */
  const guarded = (body: (connection: CloudConnection, options: Record<string, unknown>, ...args: string[]) => Promise<void>) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const options = command.opts();
      try {
        const connection = await connect(cloudOptionsOf(options));
        await body(connection, options, ...(args.slice(0, -2) as string[]));
      } catch (error) {
        if (!(error instanceof DispatcherError)) throw error;
        err(`error: ${error.message}\n`);
        setExitCode(EXIT.runFailed);
      }
    };

  const refused = (response: ErrorResponse) => {
    const { field, message, allowed } = response.error;
    err(`error: ${field}: ${message}${allowed?.length ? `\n  allowed: ${allowed.join(', ')}` : ''}\n`);
    setExitCode(EXIT.usage);
  };
  return { out, err, terminal, now, guarded, refused };
}

/**
 * The action of `status` (and of `daemon status --cloud`): the dispatcher's
 * status answer as the two tables, or as JSON with `--json`.
 */
export function cloudStatusAction(setExitCode: (code: number) => void, deps: CloudCommandDeps = {}) {
  const { out, terminal, now, guarded, refused } = cloudCommandKit(setExitCode, deps);
  return guarded(async ({ invoker }, options) => {
    const response = (await invoker.invoke({ action: 'status' })) as StatusResponse | ErrorResponse;
    if (isErrorResponse(response)) return refused(response);
    out(options.json ? `${JSON.stringify(response, null, 2)}\n` : `${renderCloudStatus(response, terminal(), Boolean(options.showModes), now())}\n`);
  });
}

/**
 * The commands that speak to the deployed stack: `trigger` (a manual run
 * through the dispatcher), `status` (the pipeline summary and worker table)
 * and `results` (a worker's runs, outputs fetched from S3 when they were too
 * large for DynamoDB). Input the dispatcher refuses exits 2 with its field
 * and allowed values; a dispatcher that cannot be reached exits 1.
 *
 * @example
 * for (const c of cloudCommands(setExitCode)) program.addCommand(c);
 */
export function cloudCommands(setExitCode: (code: number) => void, deps: CloudCommandDeps = {}): Command[] {
  const { out, err, terminal, now, guarded, refused } = cloudCommandKit(setExitCode, deps);

  const trigger = withCloudOptions(
    new Command('trigger')
      .description('queue a run of a worker on the deployed stack now (through the dispatcher Lambda)')
      .argument('<worker>', 'worker name')
      .option('--target <name>', 'one configured target (default: every target)')
      .option('--model <model>', 'model alias (haiku, sonnet, opus) or full model id, for headless workers')
      .addOption(new Option('--priority <priority>', 'queue priority (default: the worker\'s)').choices([...PRIORITIES]))
      .addOption(new Option('--sandbox <profile>', 'a tighter sandbox than the worker\'s (never a looser one)').choices([...SANDBOX_MODES]))
      .option('--dry-run', 'show what would be queued (queues, caps per run) and queue nothing')
      .option('--json', 'print the dispatcher\'s answer as JSON'),
  ).action(
    guarded(async ({ invoker }, options, worker) => {
      const payload = {
        worker: worker!,
        ...(options.target ? { target: options.target } : {}),
        ...(options.model ? { model: options.model } : {}),
        ...(options.priority ? { priority: options.priority } : {}),
        ...(options.sandbox ? { sandbox: options.sandbox } : {}),
        ...(options.dryRun ? { dryRun: true } : {}),
      };
      const response = (await invoker.invoke(payload)) as DispatchResponse | DryRunResponse | ErrorResponse;
      if (isErrorResponse(response)) return refused(response);
      if (options.json) return out(`${JSON.stringify(response, null, 2)}\n`);
      if ('dryRun' in response) return out(formatDryRun(response));
      const lines = [
        `queued ${response.queued} run(s) of ${worker}${options.target ? ` on ${options.target}` : ''}; ${response.tasksStarted} task(s) started`,
        ...response.runIds.map((id) => `  ${id}${response.alreadyQueued?.includes(id) ? ' (already queued)' : ''}`),
        ...(response.failed ?? []).map((f) => `  not queued: ${f.runId} on ${f.target}: ${f.reason}`),
        ...(response.taskWarnings ?? []).map((w) => `  note: ${w}`),
        `follow it with: results ${worker}${response.runIds[0] ? ` --run ${response.runIds[0]}` : ''}`,
      ];
      out(`${lines.join('\n')}\n`);
      if (response.failed?.length) setExitCode(EXIT.runFailed);
    }),
  );

  const status = withCloudOptions(
    new Command('status')
      .description('the deployed pipeline: tasks, queues, and each worker\'s status and last run')
      .option('--show-modes', 'add each worker\'s mode, sandbox, model and priority')
      .option('--json', 'print the dispatcher\'s answer as JSON'),
  ).action(cloudStatusAction(setExitCode, deps));

  const results = withCloudOptions(
    new Command('results')
      .description('a worker\'s recent runs on the deployed stack, or one run in full (outputs fetched from S3 when needed)')
      .argument('<worker>', 'worker name')
      .addOption(new Option('--last <n>', 'how many recent runs (1-20, default 5)').argParser(parseLast).conflicts('run'))
      .addOption(new Option('--run <id>', 'one run in full').argParser(parseRunId))
      .option('--json', 'print the records as JSON (outputs included)'),
  ).action(
    guarded(async ({ invoker, s3 }, options, worker) => {
      const runId = options.run as string | undefined;
      if (runId) {
        const response = (await invoker.invoke({ action: 'results', runId })) as RunResponse | ErrorResponse;
        if (isErrorResponse(response)) return refused(response);
        if (response.run.worker !== worker) {
          err(`error: run ${runId} belongs to worker "${response.run.worker}", not "${worker}"\n`);
          return setExitCode(EXIT.usage);
        }
        const run = await withClaimedOutput(response.run, s3);
        out(options.json ? `${JSON.stringify(run, null, 2)}\n` : `${renderStoredRun(run, terminal(), now())}\n`);
        if (isFinalRun(run) && run.status !== 'SUCCEEDED' && run.status !== 'SKIPPED') setExitCode(EXIT.runFailed);
        return;
      }
      const response = (await invoker.invoke({ action: 'results', worker, last: (options.last as number | undefined) ?? 5 })) as ResultsResponse | ErrorResponse;
      if (isErrorResponse(response)) return refused(response);
      if (options.json) {
        const runs = await Promise.all(response.runs.map((run) => withClaimedOutput(run, s3)));
        return out(`${JSON.stringify(runs, null, 2)}\n`);
      }
      const latest: StoredRun | undefined = response.runs.find(isFinalRun);
      const parts = [renderRunTable(response.runs, terminal(), now())];
      if (latest) parts.push(`latest finished run:\n${renderStoredRun(await withClaimedOutput(latest, s3), terminal(), now())}`);
      out(`${parts.join('\n\n')}\n`);
    }),
  );

  return [trigger, status, results];
}

/** The plain-text answer to `trigger --dry-run`. */
function formatDryRun(response: DryRunResponse): string {
  const lines = [
    `dry run: nothing queued; would queue ${response.wouldQueue.length} run(s):`,
    ...response.wouldQueue.map((m) =>
      m.caps
        ? `  ${m.worker} on ${m.target} -> ${m.profile}/${m.priority}: model ${m.model}, sandbox ${m.sandbox}; at most $${m.caps.maxBudgetUsd} per run, ${m.caps.maxOutputTokens} output tokens per answer, ${m.caps.maxTurns} turns`
        : `  ${m.worker} on ${m.target} -> ${m.profile}/${m.priority}: local analysis, costs no tokens`,
    ),
    `at most $${response.maxTotalBudgetUsd} in total`,
    response.note,
  ];
  return `${lines.join('\n')}\n`;
}
