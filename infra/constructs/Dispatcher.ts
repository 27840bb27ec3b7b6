import path from 'node:path';
import { Annotations, AssetStaging, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../workers/cloud/index.js';
import { DISPATCHER_BUNDLING, DISPATCHER_ENTRY } from './dispatcherBundling.js';
import { estimateEnvironmentBytes, LAMBDA_ENVIRONMENT_LIMIT_BYTES, stackReferenceBounds } from '../lambdaEnvironmentSize.js';

export { DISPATCHER_ENTRY } from './dispatcherBundling.js';

export interface DispatcherProps {
  /** Repository root: the handler entry, package-lock.json and the sources it imports live there. */
  readonly repoRoot: string;
  /** JSON of the user's configuration (HW_CONFIG): the dispatcher resolves the same catalog as the tasks. */
  readonly runtimeConfigJson: string;
  /** 'api-key' or 'bedrock' (HW_AUTH_MODE). */
  readonly authMode: 'api-key' | 'bedrock';
  readonly logRetention: logs.RetentionDays;
  /** Default: 60 seconds (RunTask retries with backoff fit in it). */
  readonly timeout?: Duration;
}

/**
 * The dispatcher Lambda: validates a schedule tick or a manual request against
 * the catalog, queues one message per (worker, target), records the run and
 * starts Fargate tasks up to each profile's cap. Bundled by esbuild (minified,
 * ESM, the AWS SDK v3 bundled and tree-shaken rather than taken from the
 * runtime), Node.js 24 on arm64. Its role starts empty: resource constructs add
 * exactly what it uses through their `bind*` methods.
 *
 * @example
 * const dispatcher = new Dispatcher(this, 'Dispatcher', { repoRoot, runtimeConfigJson: '{}', authMode: 'api-key', logRetention });
 * results.bindDispatcher(dispatcher.function);
 */
export class Dispatcher extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DispatcherProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(60);
    if (timeout.toSeconds() < 10 || timeout.toSeconds() > 900) throw new Error('Dispatcher: timeout must be between 10 seconds and 15 minutes');

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    // An explicit role instead of the default one: no AWS managed policy, logs only to its own group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'headless-workers dispatcher: queue runs, record them, start worker tasks',
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      description: 'headless-workers dispatcher: schedule ticks, manual runs, status, reconcile',
      entry: path.join(props.repoRoot, DISPATCHER_ENTRY),
      handler: 'handler',
      projectRoot: props.repoRoot,
      depsLockFilePath: path.join(props.repoRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        [ENV.config]: props.runtimeConfigJson,
        [ENV.authMode]: props.authMode,
      },
      // Bundle the SDK v3 clients instead of using the runtime's copy: pinned versions, tree-shaken, faster cold start.
      bundling: {
        format: OutputFormat.ESM,
        target: DISPATCHER_BUNDLING.target,
        minify: DISPATCHER_BUNDLING.minify,
        sourceMap: DISPATCHER_BUNDLING.sourceMap,
        sourcesContent: DISPATCHER_BUNDLING.sourcesContent,
        mainFields: [...DISPATCHER_BUNDLING.mainFields],
        externalModules: [...DISPATCHER_BUNDLING.externalModules],
        banner: DISPATCHER_BUNDLING.banner,
        esbuildArgs: { '--alias': Object.entries(DISPATCHER_BUNDLING.alias).map(([from, to]) => `${from}=${to}`) },
        // Aliases resolve in esbuild's working directory: the repository root, locally and in Docker.
        workingDirectory: AssetStaging.BUNDLING_INPUT_DIR,
      },
    });

    // Lambda refuses more than 4 KB of environment at deploy time; say so at synth instead.
    this.node.addValidation({
      validate: () => {
        const cfn = this.function.node.defaultChild as lambda.CfnFunction;
        const variables = (Stack.of(this).resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
        const estimate = estimateEnvironmentBytes(variables, stackReferenceBounds(Stack.of(this)));
        const config = Token.isUnresolved(props.runtimeConfigJson) ? 0 : Buffer.byteLength(props.runtimeConfigJson);
        if (estimate.low > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
          return [
            `The dispatcher's environment needs at least ${estimate.low} bytes but Lambda allows ${LAMBDA_ENVIRONMENT_LIMIT_BYTES}: ` +
              `${ENV.config} (the configuration file without "deploy") takes ${config} bytes; shorten it (long prompt templates are the usual cause).`,
          ];
        }
        if (estimate.high > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
          Annotations.of(this).addWarningV2(
            'headless-workers:dispatcherEnvironmentSize',
            `The dispatcher's environment may exceed Lambda's 4 KB once resource names resolve (estimated ${estimate.low}-${estimate.high} bytes; ${ENV.config} is ${config} bytes).`,
          );
        }
        return [];
      },
    });
  }
}
