import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig, type AwsClientOptions } from './awsClientConfig.js';

/**
 * A DynamoDB document client that drops undefined attributes (optional
 * record fields) instead of failing on them.
 *
 * @example
 * const documentClient = createDocumentClient({ endpoint: process.env.HW_AWS_ENDPOINT });
 */
export function createDocumentClient(options: AwsClientOptions = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig(options)), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
}
