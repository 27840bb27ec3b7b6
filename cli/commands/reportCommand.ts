import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { isErrorResponse, isFinalRun, type ErrorResponse, type ResultsResponse } from '../../workers/cloudRuntime/index.js';
import { loadConfig } from '../../workers/config/index.js';
import { InputError } from '../../workers/errors.js';
import { parseConfigSuppressions } from '../../workers/findings/index.js';
import { mapDirectoriesOf, renderReportHtml, type ReportInput, type ReportRun } from '../../workers/report/index.js';
import { openLocalState } from '../../workers/store/index.js';
import { DispatcherError } from '../cloud/DispatcherInvoker.js';
import { readCloudFindings } from '../cloud/readCloudFindings.js';
import { connectToStack, type CloudConnection, type CloudOptions } from '../cloud/resolveDispatcher.js';
import { EXIT } from '../exitCodes.js';
import { assertOutputFile } from '../options/assertOutputFile.js';
import { nonEmptyArgument } from '../options/nonEmptyArgument.js';
import { readFindings } from './findingsCommand.js';

/** Every stored run is read for the local report: the store prunes expired ones. */
const ALL_RUNS = Number.MAX_SAFE_INTEGER;
/** Most runs the dispatcher returns per worker (its `results` cap). */
const CLOUD_RUNS_PER_WORKER = 20;

/** What `report --cloud` needs from outside; tests pass an in-process dispatcher (moto's Lambda needs Docker). */
export interface ReportCommandDeps {
  readonly connect?: (options: CloudOptions) => Promise<CloudConnection>;
}

interface ReportOptions {
  repo: string;
  stateDir?: string;
  target?: string;
  out: string;
  open?: boolean;
  cloud?: boolean;
  stack?: string;
  function?: string;
  table?: string;
  region?: string;
  endpointUrl?: string;
}

/** The local report's data: every stored run and tracked finding of the repository. */
async function localReportInput(options: ReportOptions, configFile: string | undefined, now: Date): Promise<ReportInput> {
  const repoDir = path.resolve(options.repo);
  const { stateDir, store } = await openLocalState(repoDir, options.stateDir);
  const runs = await store.list({ limit: ALL_RUNS, ...(options.target ? { target: options.target } : {}) });
  const findings = await readFindings({ repo: options.repo, ...(options.stateDir ? { stateDir: options.stateDir } : {}), ...(configFile ? { config: configFile } : {}), ...(options.target ? { target: options.target } : {}) });
  return { title: options.target ?? path.basename(repoDir), source: `the local state ${stateDir}`, generatedAt: now, runs, findings, repositoryDirectories: mapDirectoriesOf(runs, options.target) };
}

/**
 * The cloud report's data through the readers `findings --cloud` and `results`
 * use: findings from the results table, runs through the dispatcher (its last
 * 20 per worker, the most one answer carries).
 */
async function cloudReportInput(options: ReportOptions, configFile: string | undefined, now: Date, connect: (options: CloudOptions) => Promise<CloudConnection>): Promise<ReportInput> {
  if (options.stateDir) throw new InputError('--state-dir names local state; drop it with --cloud (the stack is read)');
  const config = await loadConfig(configFile ? { file: configFile } : {});
  const aws = { ...(options.stack ? { stack: options.stack } : {}), ...(options.region ? { region: options.region } : {}), ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) };
  const findings = await readCloudFindings({ ...aws, ...(options.table ? { table: options.table } : {}), ...(options.target ? { target: options.target } : {}) }, configFile ? parseConfigSuppressions(config.suppressions) : []);
  const { invoker } = await connect({ ...aws, ...(options.function ? { function: options.function } : {}) });
  const runs: ReportRun[] = [];
  for (const worker of config.catalog.keys()) {
    const response = (await invoker.invoke({ action: 'results', worker, last: CLOUD_RUNS_PER_WORKER })) as ResultsResponse | ErrorResponse;
    if (isErrorResponse(response)) throw new DispatcherError(`the dispatcher refused the results of ${worker}: ${response.error.field}: ${response.error.message}`);
    for (const run of response.runs) if (isFinalRun(run) && (!options.target || run.target === options.target)) runs.push(run);
  }
  return { title: options.target ?? options.stack ?? 'deployed stack', source: `the deployed stack${options.stack ? ` ${options.stack}` : ''}`, generatedAt: now, runs, findings, repositoryDirectories: mapDirectoriesOf(runs, options.target) };
}

/** Opens the file with the desktop's opener when there is one; a missing opener is a note, never a failure. */
async function openInBrowser(file: string): Promise<void> {
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  await new Promise<void>((resolve) => {
    const child = spawn(opener, [file], { detached: true, stdio: 'ignore' });
    child.once('error', () => {
      process.stderr.write(`note: could not start ${opener} to open the report; open ${file} in a browser\n`);
      resolve();
    });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

/**
 * `report`: one self-contained HTML file of findings, review coverage, runs
 * and cost, from the local state of a repository or from the deployed stack.
 *
 * @example program.addCommand(reportCommand(setExitCode));
 */
export function reportCommand(setExitCode: (code: number) => void = () => {}, deps: ReportCommandDeps = {}): Command {
  const connect = deps.connect ?? ((options: CloudOptions) => connectToStack(options));
  return new Command('report')
    .description('write one self-contained HTML report: findings by severity and state with trends, top files, review coverage, runs and cost per day, sandbox violations')
    .option('--repo <dir>', 'repository whose local state is read', nonEmptyArgument('a directory, e.g. --repo .'), '.')
    .option('--state-dir <dir>', 'state folder (default: a per-repository folder under $HW_STATE_DIR or ~/.local/state/headless-workers)', nonEmptyArgument('a directory, or leave the option out'))
    .option('--target <name>', 'only this target', nonEmptyArgument('a target name, or leave the option out'))
    .option('--out <file>', 'where the HTML goes', nonEmptyArgument('a file, e.g. --out report.html'), 'report.html')
    .option('--open', 'open the report with xdg-open (open on macOS) when available')
    .option('--cloud', 'read the deployed stack (its results table and dispatcher) instead of the local state')
    .option('--stack <name>', 'with --cloud: stack whose outputs name the table and dispatcher (default: $HW_STACK_NAME or HeadlessWorkers)')
    .option('--function <name>', 'with --cloud: dispatcher function name or ARN (skips its stack lookup)')
    .option('--table <name>', 'with --cloud: the results table (skips its stack lookup)')
    .option('--region <region>', 'with --cloud: AWS region (default: the SDK\'s, e.g. $AWS_REGION)')
    .option('--endpoint-url <url>', 'with --cloud: custom endpoint for every AWS call, e.g. an emulator (default: $HW_AWS_ENDPOINT)')
    .action(async (options: ReportOptions, command: Command) => {
      const cloudOnly = (['stack', 'function', 'table', 'region', 'endpointUrl'] as const).find((name) => options[name] !== undefined);
      if (!options.cloud && cloudOnly) throw new InputError(`--${cloudOnly.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} reads the deployed stack: add --cloud`);
      await assertOutputFile('--out', options.out);
      const configFile = command.optsWithGlobals().config as string | undefined;
      let input: ReportInput;
      try {
        input = options.cloud ? await cloudReportInput(options, configFile, new Date(), connect) : await localReportInput(options, configFile, new Date());
      } catch (error) {
        if (!(error instanceof DispatcherError)) throw error;
        process.stderr.write(`error: ${error.message}\n`);
        return setExitCode(EXIT.runFailed);
      }
      const file = path.resolve(options.out);
      await mkdir(path.dirname(file), { recursive: true });
      // Private like the state it comes from: it lists findings about the repository.
      await writeFile(file, renderReportHtml(input), { mode: 0o600 });
      process.stdout.write(`wrote ${options.out}: ${input.findings.length} tracked finding(s), ${input.runs.length} run(s)\n`);
      if (options.open) await openInBrowser(file);
    });
}
