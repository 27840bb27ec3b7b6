import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { awsClientConfig } from '../../workers/cloudRuntime/index.js';
import { DispatcherError } from './DispatcherInvoker.js';

/**
 * One output of the deployed stack (`DispatcherFunctionName`,
 * `ResultsTableName`...). A stack that cannot be read, or lacks the output,
 * is a DispatcherError (the cloud cannot be reached: exit 1) whose message
 * says how to name the stack.
 *
 * @example const table = await readStackOutput('HeadlessWorkers', STACK_OUTPUTS.tableName, { region: 'eu-west-1' });
 */
export async function readStackOutput(stackName: string, key: string, aws: { region?: string; endpoint?: string }): Promise<string> {
  const cloudformation = new CloudFormationClient(awsClientConfig(aws));
  let outputs;
  try {
    const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = Stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    throw new DispatcherError(
      `cannot read stack "${stackName}": ${(error as Error).name}: ${(error as Error).message}. ` +
        'Deploy it with `cdk deploy`, or name it with --stack (or HW_STACK_NAME), or the dispatcher with --function.',
      { cause: error },
    );
  }
  const value = outputs.find((o) => o.OutputKey === key)?.OutputValue;
  if (!value) throw new DispatcherError(`stack "${stackName}" has no ${key} output: is it a headless-workers stack?`);
  return value;
}
