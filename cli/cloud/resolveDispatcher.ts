import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_STACK_NAME, STACK_OUTPUTS } from '../../workers/cloud/index.js';
import { awsClientConfig, s3ClientConfig } from '../../workers/cloudRuntime/index.js';
import { LambdaDispatcherInvoker, type DispatcherInvoker } from './DispatcherInvoker.js';
import { readStackOutput } from './readStackOutput.js';

/** Options every cloud command takes. */
export interface CloudOptions {
  /** Stack whose outputs name the dispatcher (default: HW_STACK_NAME, else HeadlessWorkers). */
  readonly stack?: string;
  /** The dispatcher's function name or ARN: skips the stack lookup. */
  readonly function?: string;
  readonly region?: string;
  /** Custom endpoint for every AWS call (the emulator). */
  readonly endpointUrl?: string;
}

/** What a cloud command talks to. */
export interface CloudConnection {
  readonly invoker: DispatcherInvoker;
  /** Reads claim-checked outputs (`outputLocation` of a record). */
  readonly s3: S3Client;
}

/** Environment variables the cloud commands read when the options are not given. */
export const CLOUD_ENV = { stack: 'HW_STACK_NAME', function: 'HW_DISPATCHER_FUNCTION', endpoint: 'HW_AWS_ENDPOINT' } as const;

/**
 * Finds the dispatcher: the function named by `--function` (or
 * HW_DISPATCHER_FUNCTION), else the `DispatcherFunctionName` output of the
 * stack (`--stack`, HW_STACK_NAME, default HeadlessWorkers).
 *
 * @example
 * const { invoker, s3 } = await connectToStack({ stack: 'HeadlessWorkers', region: 'eu-west-1' });
 */
export async function connectToStack(options: CloudOptions, env: NodeJS.ProcessEnv = process.env): Promise<CloudConnection> {
  const endpoint = options.endpointUrl ?? env[CLOUD_ENV.endpoint];
  const aws = { ...(options.region ? { region: options.region } : {}), ...(endpoint ? { endpoint } : {}) };
  const functionName = options.function ?? env[CLOUD_ENV.function] ?? (await dispatcherFromStack(options.stack ?? env[CLOUD_ENV.stack] ?? DEFAULT_STACK_NAME, aws));
  return { invoker: new LambdaDispatcherInvoker(new LambdaClient(awsClientConfig(aws)), functionName), s3: new S3Client(s3ClientConfig(aws)) };
}

async function dispatcherFromStack(stackName: string, aws: { region?: string; endpoint?: string }): Promise<string> {
  return readStackOutput(stackName, STACK_OUTPUTS.dispatcherFunctionName, aws);
}
