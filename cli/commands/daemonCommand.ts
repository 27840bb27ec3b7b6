import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SANDBOX_MODES } from '../../workers/catalog/constants.js';
import type { SandboxMode, WorkerMode } from '../../workers/catalog/types.js';
import { loadConfig } from '../../workers/config/index.js';
import { InputError } from '../../workers/errors.js';
import { LocalResultStore, openLocalState } from '../../workers/store/index.js';
import { readDaemonStatus, renderDaemonStatus } from '../daemon/daemonStatus.js';
import { runDaemonForeground } from '../daemon/runDaemonForeground.js';
import { startDaemon } from '../daemon/startDaemon.js';
import { stopDaemon } from '../daemon/stopDaemon.js';
import { triggerOnDaemon } from '../daemon/triggerOnDaemon.js';
import { EXIT, exitCodeOf } from '../exitCodes.js';
import { nonEmptyArgument } from '../options/nonEmptyArgument.js';
import { renderRunResult } from '../format/renderRunResult.js';
import { detectTerminal } from '../format/terminal.js';
import { cloudStatusAction, withCloudOptions, type CloudCommandDeps } from './cloudCommands.js';
import { runCommand } from './runCommand.js';

function modeOf(options: { local?: boolean; headless?: boolean }): WorkerMode | undefined {
  if (options.local && options.headless) throw new InputError('--local and --headless exclude each other');
  return options.local ? 'local' : options.headless ? 'headless' : undefined;
}

function parseWorkerList(value: string): string[] {
  const workers = value.split(',').map((w) => w.trim()).filter(Boolean);
  if (workers.length === 0) throw new InvalidArgumentError('give at least one worker, e.g. --workers map,consolidate');
  return workers;
}

const sandboxOption = () => new Option('--sandbox <profile>', 'sandbox profile of headless runs').choices([...SANDBOX_MODES]);

/** `daemon start|stop|status|trigger`: the workers on their intervals on this machine. */
export function daemonCommand(setExitCode: (code: number) => void, cloudDeps: CloudCommandDeps = {}): Command {
  const daemon = new Command('daemon').description('run the workers on their intervals on this machine (the embedded default)');

  daemon
    .command('start')
    .description('start the daemon for a repository (in the background unless --foreground)')
    .option('--repo <dir>', 'repository to analyse', nonEmptyArgument('a directory, e.g. --repo .'), '.')
    .option('--local', 'run headless workers as their local analysis')
    .option('--headless', 'require Claude Code for headless workers')
    .addOption(sandboxOption())
    .option('--workers <list>', 'comma-separated workers to schedule (default: every enabled worker with an interval)', parseWorkerList)
    .option('--state-dir <dir>', 'state folder (default: a per-repository folder under $HW_STATE_DIR or ~/.local/state/headless-workers)', nonEmptyArgument('a directory, or leave the option out'))
    .option('--foreground', 'stay in the foreground and log to stdout')
    .action(async (options, command: Command) => {
      const config = command.optsWithGlobals().config as string | undefined;
      const mode = modeOf(options);
      const daemonOptions = { repo: options.repo, mode, sandbox: options.sandbox as SandboxMode | undefined, workers: options.workers as string[] | undefined, config, stateDir: options.stateDir as string | undefined, tickMs: Number(process.env.HW_DAEMON_TICK_MS) || undefined };
      if (options.foreground) {
        setExitCode(await runDaemonForeground(daemonOptions));
        return;
      }
      const forwarded = [
        '--repo', path.resolve(options.repo),
        ...(mode ? [`--${mode}`] : []),
        ...(options.sandbox ? ['--sandbox', options.sandbox] : []),
        ...(options.workers ? ['--workers', options.workers.join(',')] : []),
        ...(options.stateDir ? ['--state-dir', path.resolve(options.stateDir)] : []),
      ];
      const globalArgs = config ? ['--config', path.resolve(config)] : [];
      const started = await startDaemon(daemonOptions, [...forwarded, ...globalArgs]);
      if (!started.ok) {
        process.stderr.write(`error: ${started.message}\n`);
        setExitCode(EXIT.usage);
        return;
      }
      process.stdout.write(`daemon started (pid ${started.pid}); log: ${path.relative(process.cwd(), started.logFile)}\n`);
    });

  daemon
    .command('stop')
    .description('stop the daemon and any run it has going (Claude process groups included)')
    .option('--repo <dir>', 'repository of the daemon', nonEmptyArgument('a directory, e.g. --repo .'), '.')
    .option('--state-dir <dir>', 'state folder (default: a per-repository folder under $HW_STATE_DIR or ~/.local/state/headless-workers)', nonEmptyArgument('a directory, or leave the option out'))
    .action(async (options) => {
      const result = await stopDaemon({ repo: options.repo, stateDir: options.stateDir });
      if (result.stillRunning) {
        process.stderr.write(`error: ${result.message}\n`);
        setExitCode(EXIT.runFailed);
        return;
      }
      process.stdout.write(`${result.message}\n`);
    });

  const showCloudStatus = cloudStatusAction(setExitCode, cloudDeps);
  const status = daemon
    .command('status')
    .description('the daemon summary and the worker table (with --cloud: the deployed stack\'s, as `status` shows them)')
    .option('--repo <dir>', 'repository of the daemon', nonEmptyArgument('a directory, e.g. --repo .'), '.')
    .option('--state-dir <dir>', 'state folder (default: a per-repository folder under $HW_STATE_DIR or ~/.local/state/headless-workers)', nonEmptyArgument('a directory, or leave the option out'))
    .option('--show-modes', 'add each worker\'s mode and sandbox')
    .option('--json', 'print as JSON')
    .option('--cloud', 'the deployed stack instead of this machine\'s daemon');
  withCloudOptions(status).action(async (options, command: Command) => {
    if (options.cloud) return showCloudStatus(options, command);
    const cloudOnly = ['stack', 'function', 'region', 'endpointUrl'].find((name) => options[name] !== undefined);
    if (cloudOnly) throw new InputError(`--${cloudOnly.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is for the deployed stack: add --cloud`);
    const config = await loadConfig(command.optsWithGlobals().config ? { file: command.optsWithGlobals().config } : {});
    const report = await readDaemonStatus({ repo: options.repo, stateDir: options.stateDir, catalog: config.catalog });
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderDaemonStatus(report, detectTerminal(), Boolean(options.showModes))}\n`);
  });

  daemon
    .command('trigger')
    .description('queue a run now on the running daemon (or run it in the foreground when none runs)')
    .requiredOption('-w, --worker <worker>', 'worker to run')
    .option('--repo <dir>', 'repository of the daemon', nonEmptyArgument('a directory, e.g. --repo .'), '.')
    .option('--local', 'run the local analysis')
    .option('--headless', 'require Claude Code')
    .addOption(sandboxOption())
    .option('--model <model>', 'model alias or id')
    .option('--state-dir <dir>', 'state folder (default: a per-repository folder under $HW_STATE_DIR or ~/.local/state/headless-workers)', nonEmptyArgument('a directory, or leave the option out'))
    .option('--wait', 'wait for the run and print its result')
    .option('--json', 'with --wait, print the run record as JSON')
    .action(async (options, command: Command) => {
      const mode = modeOf(options);
      const configFile = command.optsWithGlobals().config as string | undefined;
      const repoDir = path.resolve(options.repo);
      const config = await loadConfig(configFile ? { file: configFile } : {});
      if (!config.catalog.has(options.worker)) {
        throw new InputError(`unknown worker "${options.worker}"; known workers: ${[...config.catalog.keys()].join(', ')}`);
      }
      const { stateDir } = await openLocalState(repoDir, options.stateDir);
      const queued = await triggerOnDaemon(
        stateDir,
        { worker: options.worker, ...(mode ? { mode } : {}), ...(options.sandbox ? { sandbox: options.sandbox } : {}), ...(options.model ? { model: options.model } : {}) },
        { wait: Boolean(options.wait) },
      );
      if (!queued) {
        process.stderr.write('no daemon running: running in the foreground\n');
        setExitCode(await runCommand(options.worker, { repo: repoDir, mode, sandbox: options.sandbox, model: options.model, json: options.json, config: configFile, stateDir: options.stateDir }));
        return;
      }
      if (!options.wait) {
        process.stdout.write(`queued ${options.worker} on the daemon (pid ${queued.pid})\n`);
        return;
      }
      if (!queued.answer?.runId) {
        process.stderr.write(`error: ${queued.answer?.error ?? 'no answer from the daemon'}\n`);
        setExitCode(EXIT.runFailed);
        return;
      }
      const result = await new LocalResultStore(stateDir).get(queued.answer.runId);
      if (!result) {
        process.stderr.write(`error: run ${queued.answer.runId} was not found in ${stateDir}\n`);
        setExitCode(EXIT.runFailed);
        return;
      }
      process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderRunResult(result, detectTerminal())}\n`);
      setExitCode(exitCodeOf(result));
    });
  return daemon;
}
