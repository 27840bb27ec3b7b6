import { Command, CommanderError, Option } from 'commander';
import { SANDBOX_MODES } from '../workers/catalog/constants.js';
import { loadConfig } from '../workers/config/index.js';
import { HeadlessWorkersError, InputError } from '../workers/errors.js';
import { cloudCommands } from './commands/cloudCommands.js';
import { coverageCommand } from './commands/coverageCommand.js';
import { daemonCommand } from './commands/daemonCommand.js';
import { findingsCommands } from './commands/findingsCommand.js';
import { reportCommand } from './commands/reportCommand.js';
import { runCommand } from './commands/runCommand.js';
import { describeWorker } from '../workers/catalog/index.js';
import { renderWorkers } from './commands/workersCommand.js';
import { EXIT } from './exitCodes.js';
import { describeSystemError } from './format/describeSystemError.js';
import { detectTerminal } from './format/terminal.js';
import { assertStateFolder } from './options/assertStateFolder.js';
import { FAIL_ON_SEVERITIES } from './options/failOnSeverity.js';
import { nonEmptyArgument } from './options/nonEmptyArgument.js';
import { packageVersion } from '../workers/packageVersion.js';

/** Where commander's usage and error messages (and `main`'s own errors) go. */
export interface CliOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

const PROCESS_OUTPUT: CliOutput = {
  writeOut: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
};

export function buildProgram(setExitCode: (code: number) => void, output: CliOutput = PROCESS_OUTPUT): Command {
  const program = new Command('headless-workers')
    .description('Background workers that analyse code repositories, with Claude Code or plain local analysis')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .option('--config <file>', "operator configuration file (default: ~/.config/headless-workers/config.json; a repository's own headless-workers.config.json may only tighten a run)", nonEmptyArgument('a file, e.g. --config ~/.config/headless-workers/config.json'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('run')
    .description('run one worker now against a local repository and store the result')
    .argument('<worker>', 'worker name (see `workers`)')
    .option('--repo <dir>', 'repository to analyse', nonEmptyArgument('a directory, e.g. --repo .'), '.')
    .option('--target <name>', 'name recorded with the result (default: the directory name)', nonEmptyArgument('a name, or leave the option out'))
    .option('--local', 'run the local analysis even if Claude Code is available')
    .option('--headless', 'require Claude Code; fail instead of falling back to the local analysis')
    .addOption(new Option('--sandbox <profile>', 'sandbox profile of a headless run').choices([...SANDBOX_MODES]))
    .option('--model <model>', 'model alias (haiku, sonnet, opus) or full model id', nonEmptyArgument('an alias (haiku, sonnet, opus) or a model id'))
    .option('--state-dir <dir>', 'where results are kept (default: a per-repository folder under $HW_STATE_DIR or ~/.local/state/headless-workers)', nonEmptyArgument('a directory, or leave the option out'))
    .option('--json', 'print the stored run record as JSON')
    .option('--dry-run', 'print the context and prompt that would be sent, estimated tokens and cost; run nothing')
    .option('--full', 'scan every file even when an incremental scan (changes since the last run) would do')
    .option('--sarif <file>', 'also write the run\'s findings as SARIF 2.1.0 (the path is checked before the run)', nonEmptyArgument('a file, e.g. --sarif results.sarif'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when unresolved findings of this severity or above remain after the run (suppressed ones do not count)').choices([...FAIL_ON_SEVERITIES]))
    .option('--all', 'show findings in tests, docs, examples and translations too (default: production code only)')
    .action(async (worker: string, options, command: Command) => {
      if (options.local && options.headless) throw new InputError('--local and --headless exclude each other');
      const globals = command.optsWithGlobals();
      setExitCode(
        await runCommand(worker, {
          repo: options.repo,
          target: options.target,
          mode: options.local ? 'local' : options.headless ? 'headless' : undefined,
          sandbox: options.sandbox,
          model: options.model,
          json: options.json,
          config: globals.config,
          stateDir: options.stateDir,
          dryRun: options.dryRun,
          fullScan: options.full,
          sarif: options.sarif,
          failOn: options.failOn,
          all: options.all,
        }),
      );
    });

  program
    .command('workers')
    .description('list the worker catalog with your overrides applied')
    .option('--json', 'print as JSON')
    .action(async (options, command: Command) => {
      const config = await loadConfig(command.optsWithGlobals().config ? { file: command.optsWithGlobals().config } : {});
      if (options.json) process.stdout.write(`${JSON.stringify([...config.catalog.values()].map(describeWorker), null, 2)}\n`);
      else process.stdout.write(`${renderWorkers(config, detectTerminal())}\n`);
    });
  // Checked before any command acts, for every command that takes it: a bad folder is bad input (exit 2), not a failed run.
  program.hook('preAction', async (_program, action) => {
    const stateDir = action.opts().stateDir as string | undefined;
    if (stateDir) await assertStateFolder('--state-dir', stateDir);
  });
  program.addCommand(daemonCommand(setExitCode));
  for (const c of cloudCommands(setExitCode)) program.addCommand(c);
  for (const command of findingsCommands(setExitCode)) program.addCommand(command);
  program.addCommand(reportCommand(setExitCode));
  program.addCommand(coverageCommand());
  applyToAllCommands(program, (command) => command.exitOverride().showHelpAfterError('(run with --help for usage)').configureOutput(output));
  return program;
}

/** Commands added with addCommand do not inherit settings: apply them to the whole tree. */
function applyToAllCommands(command: Command, apply: (command: Command) => void): void {
  apply(command);
  for (const sub of command.commands) applyToAllCommands(sub, apply);
}

/**
 * Runs the CLI and returns the exit code (see exitCodes.ts): 0 done, 1 a run
 * failed or found problems at or above `--fail-on`, 2 bad usage or input.
 * Errors print as plain sentences, without a stack trace or a raw errno.
 * `output` receives usage and error messages (commands print their results
 * to the process's stdout); tests pass their own to run the parser in-process.
 */
export async function main(argv: readonly string[], output: CliOutput = PROCESS_OUTPUT): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  }, output);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof HeadlessWorkersError) {
      output.writeErr(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    output.writeErr(`error: ${describeSystemError(error) ?? (error instanceof Error ? error.message : String(error))}\n`);
    if (process.env.HW_DEBUG && error instanceof Error) output.writeErr(`${error.stack}\n`);
    return EXIT.runFailed;
  }
}
