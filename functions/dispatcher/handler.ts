import { ECSClient } from '@aws-sdk/client-ecs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '../../workers/cloudRuntime/awsClientConfig.js';
import { createDocumentClient } from '../../workers/cloudRuntime/documentClient.js';
import type { DispatcherResponse } from '../../workers/cloudRuntime/index.js';
import { createDispatcher } from './createDispatcher.js';
import { readDispatcherSettings } from './dispatcherSettings.js';
import type { InvocationContext } from './types.js';

// Read once per Lambda container: the environment, the clients, the catalog.
const settings = readDispatcherSettings(process.env);
const aws = { ...(settings.awsEndpoint ? { endpoint: settings.awsEndpoint } : {}) };
const dispatch = createDispatcher({
  settings,
  sqs: new SQSClient(awsClientConfig(aws)),
  ecs: new ECSClient(awsClientConfig(aws)),
  documentClient: createDocumentClient(aws),
});

/**
 * The dispatcher Lambda: schedule ticks (`{"source":"schedule","worker":"audit"}`),
 * the reconcile tick, manual runs (`{"worker":"audit","target":"api"}`), and
 * `{"action":"status"}` / `{"action":"results",...}` queries.
 *
 * @example
 * // aws lambda invoke --function-name <DispatcherFunctionName> --payload '{"action":"status"}' out.json
 */
export async function handler(event: unknown, context?: InvocationContext): Promise<DispatcherResponse> {
  return dispatch(event, context);
}
