import { randomUUID } from 'node:crypto';
import { Command, CommanderError } from 'commander';
import { FunctionDispatcherInvoker } from '../../cli/cloud/DispatcherInvoker.js';
import { cloudCommands, type CloudCommandDeps } from '../../cli/commands/cloudCommands.js';
import { daemonCommand } from '../../cli/commands/daemonCommand.js';
import { EXIT } from '../../cli/exitCodes.js';
import type { TestPipeline } from './motoPipeline.js';

export interface CloudCliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI's cloud commands (`trigger`, `status`, `results`, `daemon status --cloud`) against the
 * emulated stack: the same commands the user types, with the dispatcher
 * handler called in-process instead of through Lambda Invoke (moto's Lambda
 * needs Docker) and S3 read from the emulator. Plain output, 100 columns.
 */
export async function runCloudCli(pipeline: TestPipeline, args: readonly string[], now?: Date): Promise<CloudCliResult> {
  let code: number = EXIT.ok;
  let stdout = '';
  let stderr = '';
  const program = new Command('headless-workers').exitOverride().configureOutput({ writeOut: (t) => (stdout += t), writeErr: (t) => (stderr += t) });
  const deps: CloudCommandDeps = {
    connect: async () => ({ invoker: new FunctionDispatcherInvoker((payload) => pipeline.dispatch(payload, { awsRequestId: randomUUID() })), s3: pipeline.clients.s3 }),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    terminal: () => ({ width: 100, color: false, interactive: false }),
    ...(now ? { now: () => now } : {}),
  };
  const commands = [...cloudCommands((c) => (code = c), deps), daemonCommand((c) => (code = c), deps)];
  for (const command of commands) program.addCommand(command.exitOverride().configureOutput({ writeOut: (t) => (stdout += t), writeErr: (t) => (stderr += t) }));
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  return { code, stdout, stderr };
}
